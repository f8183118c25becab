package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.SharedTestData;
import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.policy.IdentityPolicy;
import dev.qmt4j.sigstore.policy.VerificationPolicy;
import dev.qmt4j.sigstore.policy.VerificationResult;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.TrustRootException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sigstore-conformance {@code bundle-verify} cases, run per the suite's README conventions. */
public final class ConformanceCases {
    public static final String DEFAULT_IDENTITY = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    public static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

    private ConformanceCases() {}

    /** The bundle-verify directory. */
    public static Path root() {
        return SharedTestData.sigstore().resolve("sigstore-conformance/bundle-verify");
    }

    /** All case directories, sorted. */
    public static List<Path> all() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** True if the case must verify. */
    public static boolean expectPass(Path dir) {
        return !dir.getFileName().toString().endsWith("_fail");
    }

    /** The artifact file of a case. */
    public static Path artifact(Path dir) {
        Path a = dir.resolve("artifact");
        return Files.exists(a) ? a : root().resolve("a.txt");
    }

    /** The trusted_root.json of a case. */
    public static Path trustedRoot(Path dir) {
        Path t = dir.resolve("trusted_root.json");
        return Files.exists(t) ? t : SharedTestData.sigstore().resolve("public-good/trusted_root.json");
    }

    /** Runs one case; a trust root that fails to load is a rejection. */
    public static VerificationResult run(Path dir) throws IOException {
        TrustRoot root;
        try {
            root = TrustRoot.fromFile(trustedRoot(dir));
        } catch (TrustRootException e) {
            return new VerificationResult.Rejected(dev.qmt4j.sigstore.policy.Check.TRUST_ROOT, e.getMessage(), List.of());
        }
        VerificationPolicy policy;
        Path key = dir.resolve("key.pub");
        if (Files.exists(key)) {
            policy = VerificationPolicy.keyed(Keys.publicKeyPem(Files.readString(key, StandardCharsets.US_ASCII)));
        } else {
            policy = VerificationPolicy.keyless(IdentityPolicy.exact(read(dir.resolve("identity"), DEFAULT_IDENTITY),
                    read(dir.resolve("issuer"), DEFAULT_ISSUER)));
        }
        return new BundleVerifier(root).verify(Files.readAllBytes(dir.resolve("bundle.sigstore.json")),
                Artifact.ofBytes(Files.readAllBytes(artifact(dir))), policy);
    }

    private static String read(Path p, String dflt) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).strip() : dflt;
    }
}
