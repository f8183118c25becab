package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.sigstore.PolicyFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The signature policy flags shared by {@code pull} and {@code verify} (cosign's names); they override the config. */
final class PolicyOptions {
    @Option(names = "--key", paramLabel = "FILE", description = "Verify with this cosign public key (PEM) instead of an identity.")
    Path key;

    @Option(names = "--certificate-identity", paramLabel = "SAN", description = "Exact signer identity (email or URI).")
    String identity;

    @Option(names = "--certificate-identity-regexp", paramLabel = "RE",
            description = "Signer identity regexp (unanchored search, as cosign; anchor with ^...$).")
    String identityRegexp;

    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "Exact OIDC issuer.")
    String issuer;

    @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "RE", description = "OIDC issuer regexp.")
    String issuerRegexp;

    @Option(names = "--certificate-github-workflow-repository", paramLabel = "OWNER/REPO",
            description = "Required GitHub workflow repository (certificate OID 1.3.6.1.4.1.57264.1.5).")
    String githubWorkflowRepository;

    @Option(names = "--trusted-root", paramLabel = "FILE", description = "A Sigstore trusted_root.json to use instead of the public-good one.")
    Path trustedRoot;

    @Option(names = "--fulcio-certs", paramLabel = "PEM",
            description = "Manual trust root: Fulcio CA certificates (self-signed ones are roots), instead of the public-good root.")
    Path fulcioCerts;

    @Option(names = "--rekor-pub-keys", paramLabel = "PEM", description = "Manual trust root: Rekor public keys.")
    Path rekorPubKeys;

    @Option(names = "--ctfe-pub-keys", paramLabel = "PEM", description = "Manual trust root: certificate-transparency log public keys (for SCTs).")
    Path ctfePubKeys;

    @Option(names = {"-a", "--annotations", "--annotation"}, paramLabel = "KEY=VALUE",
            description = "Require this payload annotation on the signature (repeatable; cosign -a).")
    Map<String, String> annotations = new LinkedHashMap<>();

    /** The verification options given on the command line, by name, in declaration order. */
    List<String> given() {
        List<String> names = new ArrayList<>();
        add(names, "--key", key);
        add(names, "--certificate-identity", identity);
        add(names, "--certificate-identity-regexp", identityRegexp);
        add(names, "--certificate-oidc-issuer", issuer);
        add(names, "--certificate-oidc-issuer-regexp", issuerRegexp);
        add(names, "--certificate-github-workflow-repository", githubWorkflowRepository);
        add(names, "--trusted-root", trustedRoot);
        add(names, "--fulcio-certs", fulcioCerts);
        add(names, "--rekor-pub-keys", rekorPubKeys);
        add(names, "--ctfe-pub-keys", ctfePubKeys);
        if (!annotations.isEmpty()) {
            names.add("--annotations");
        }
        return names;
    }

    private static void add(List<String> names, String name, Object value) {
        if (value != null) {
            names.add(name);
        }
    }

    PolicyFlags flags() {
        if (trustedRoot != null && (fulcioCerts != null || rekorPubKeys != null || ctfePubKeys != null)) {
            throw new Qmt4jException(ErrorKind.USAGE, "--trusted-root cannot be combined with --fulcio-certs/--rekor-pub-keys/--ctfe-pub-keys");
        }
        return new PolicyFlags(Optional.ofNullable(key), Optional.ofNullable(identity), Optional.ofNullable(identityRegexp),
                Optional.ofNullable(issuer), Optional.ofNullable(issuerRegexp), Optional.ofNullable(githubWorkflowRepository),
                Optional.ofNullable(trustedRoot), Optional.ofNullable(fulcioCerts), Optional.ofNullable(rekorPubKeys),
                Optional.ofNullable(ctfePubKeys), annotations);
    }
}
