package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.bundle.Artifact;
import dev.qmt4j.sigstore.bundle.BundleVerifier;
import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import dev.qmt4j.sigstore.policy.VerificationDetails;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j sigstore verify-bundle}: verifies a Sigstore bundle against a file or digest,
 * following the sigstore-conformance client CLI protocol (exit 0 when verified, non-zero otherwise).
 */
@Command(name = "verify-bundle", mixinStandardHelpOptions = true,
        description = "Verify a Sigstore bundle (v0.1-v0.3) for a file or a sha256:<hex> digest.")
final class SigstoreVerifyBundleCommand implements Callable<Integer> {
    @ParentCommand
    SigstoreCommand parent;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The bundle (JSON).")
    Path bundle;

    @Option(names = "--certificate-identity", paramLabel = "SAN", description = "Expected certificate identity (exact).")
    String identity;

    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "Expected OIDC issuer (exact).")
    String issuer;

    @Option(names = "--key", paramLabel = "PUB", description = "Verify with this PEM public key instead of an identity.")
    Path key;

    @Option(names = "--trusted-root", paramLabel = "FILE", description = "trusted_root.json to use instead of the embedded public-good root.")
    Path trustedRoot;

    // Part of the sigstore-conformance client protocol. No staging root is embedded, so the flag
    // selects nothing; what it does is refuse the public-good fallback for a staging bundle.
    @Option(names = "--staging", description = "The bundle is from the Sigstore staging instance: require --trusted-root "
            + "(the staging trusted_root.json; none is embedded) instead of falling back to the public-good root.")
    boolean staging;

    @Parameters(index = "0", paramLabel = "FILE_OR_DIGEST", description = "The artifact file, or sha256:<hex>.")
    String artifact;

    @Override
    public Integer call() {
        CliContext context = parent.context();
        VerificationPolicy policy = policy();
        TrustRoot root = trustRoot();
        Artifact subject = artifact();
        byte[] bundleBytes = read(bundle, "bundle");
        VerificationResult result = new BundleVerifier(root).verify(bundleBytes, subject, policy);
        if (result instanceof VerificationResult.Rejected r) {
            String found = r.identitiesFound().isEmpty() ? ""
                    : "; found " + r.identitiesFound().stream().map(Object::toString).collect(Collectors.joining(", "));
            throw new Qmt4jException(ErrorKind.VERIFICATION, "bundle verification failed at " + r.check() + ": " + r.reason() + found,
                    null);
        }
        VerificationDetails d = ((VerificationResult.Verified) result).details();
        context.out().println("Verified OK");
        d.identity().ifPresent(i -> context.out().println("identity: " + i.subject() + "\nissuer: " + i.issuer().orElse("")));
        d.logIndex().ifPresent(i -> context.out().println("log index: " + i));
        d.integratedTime().ifPresent(t -> context.out().println("integrated time: " + t));
        return 0;
    }

    private VerificationPolicy policy() {
        if (key != null) {
            if (identity != null || issuer != null) {
                throw new Qmt4jException(ErrorKind.USAGE, "--key and --certificate-identity/--certificate-oidc-issuer are mutually exclusive", null);
            }
            try {
                return VerificationPolicy.keyed(Keys.publicKeyPem(Files.readString(key, StandardCharsets.US_ASCII)));
            } catch (IOException | IllegalArgumentException e) {
                throw new Qmt4jException(ErrorKind.USAGE, "cannot read public key " + key + ": " + e.getMessage(), null);
            }
        }
        if (identity == null || issuer == null) {
            throw new Qmt4jException(ErrorKind.USAGE,
                    "keyless verification needs both --certificate-identity and --certificate-oidc-issuer (or use --key)", null);
        }
        return VerificationPolicy.keyless(IdentityPolicy.exact(identity, issuer));
    }

    private TrustRoot trustRoot() {
        if (trustedRoot != null) {
            return TrustRoot.fromFile(trustedRoot);
        }
        if (staging) {
            throw new Qmt4jException(ErrorKind.CONFIG, "no staging trust root is embedded",
                    "pass the staging trusted_root.json with --trusted-root");
        }
        return TrustRoot.publicGood();
    }

    private Artifact artifact() {
        if (artifact.matches("sha(256|384|512):.*") && !Files.exists(Path.of(artifact))) {
            try {
                return Artifact.ofDigest(artifact);
            } catch (IllegalArgumentException e) {
                throw new Qmt4jException(ErrorKind.USAGE, e.getMessage(), null);
            }
        }
        return Artifact.ofBytes(read(Path.of(artifact), "artifact"));
    }

    private static byte[] read(Path p, String what) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "cannot read " + what + " " + p + ": " + e.getMessage(), null);
        }
    }
}
