package dev.qmt4j.sigstore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one-off policy options of {@code qmt4j pull} and {@code qmt4j verify} (cosign's flag names).
 * When any signer option is given they replace the configured policy for that command; trust-root
 * options replace the configured trust root; annotations are added to whichever policy applies.
 *
 * @param key                      {@code --key}: a cosign public key PEM file
 * @param identity                 {@code --certificate-identity}
 * @param identityRegexp           {@code --certificate-identity-regexp}
 * @param issuer                   {@code --certificate-oidc-issuer}
 * @param issuerRegexp             {@code --certificate-oidc-issuer-regexp}
 * @param githubWorkflowRepository {@code --certificate-github-workflow-repository}
 * @param trustedRoot              {@code --trusted-root}: a {@code trusted_root.json}
 * @param fulcioCerts              {@code --fulcio-certs}: manual trust root, Fulcio CA certificates (PEM)
 * @param rekorPubKeys             {@code --rekor-pub-keys}: manual trust root, Rekor keys (PEM)
 * @param ctfePubKeys              {@code --ctfe-pub-keys}: manual trust root, CT log keys (PEM)
 * @param annotations              {@code -a k=v}: required payload annotations
 */
public record PolicyFlags(Optional<Path> key, Optional<String> identity, Optional<String> identityRegexp,
        Optional<String> issuer, Optional<String> issuerRegexp, Optional<String> githubWorkflowRepository,
        Optional<Path> trustedRoot, Optional<Path> fulcioCerts, Optional<Path> rekorPubKeys, Optional<Path> ctfePubKeys,
        Map<String, String> annotations) {

    public PolicyFlags {
        annotations = Map.copyOf(annotations);
    }

    /** Signer and {@code --trusted-root} options only. */
    public PolicyFlags(Optional<Path> key, Optional<String> identity, Optional<String> identityRegexp,
            Optional<String> issuer, Optional<String> issuerRegexp, Optional<String> githubWorkflowRepository,
            Optional<Path> trustedRoot) {
        this(key, identity, identityRegexp, issuer, issuerRegexp, githubWorkflowRepository, trustedRoot, Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
    }

    /** No flags. */
    public static PolicyFlags none() {
        return new PolicyFlags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The same flags with these required annotations. */
    public PolicyFlags withAnnotations(Map<String, String> a) {
        return new PolicyFlags(key, identity, identityRegexp, issuer, issuerRegexp, githubWorkflowRepository, trustedRoot,
                fulcioCerts, rekorPubKeys, ctfePubKeys, a);
    }

    /** The same flags with a manual trust root. */
    public PolicyFlags withManualTrustRoot(Optional<Path> fulcio, Optional<Path> rekor, Optional<Path> ctfe) {
        return new PolicyFlags(key, identity, identityRegexp, issuer, issuerRegexp, githubWorkflowRepository, trustedRoot,
                fulcio, rekor, ctfe, annotations);
    }

    /** Whether any signer option (not counting trust-root options and annotations) was given. */
    public boolean definesPolicy() {
        return key.isPresent() || identity.isPresent() || identityRegexp.isPresent() || issuer.isPresent()
                || issuerRegexp.isPresent() || githubWorkflowRepository.isPresent();
    }

    /** Whether a manual trust-root option was given. */
    public boolean definesManualTrustRoot() {
        return fulcioCerts.isPresent() || rekorPubKeys.isPresent() || ctfePubKeys.isPresent();
    }
}
