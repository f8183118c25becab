package dev.qmt4j.sigstore;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one-off policy options of {@code qmt4j pull} and {@code qmt4j verify} (cosign's flag names).
 * When any is given they replace the configured policy for that command.
 *
 * @param key                      {@code --key}: a cosign public key PEM file
 * @param identity                 {@code --certificate-identity}
 * @param identityRegexp           {@code --certificate-identity-regexp}
 * @param issuer                   {@code --certificate-oidc-issuer}
 * @param issuerRegexp             {@code --certificate-oidc-issuer-regexp}
 * @param githubWorkflowRepository {@code --certificate-github-workflow-repository}
 * @param trustedRoot              {@code --trusted-root}: a {@code trusted_root.json}
 */
public record PolicyFlags(Optional<Path> key, Optional<String> identity, Optional<String> identityRegexp,
        Optional<String> issuer, Optional<String> issuerRegexp, Optional<String> githubWorkflowRepository,
        Optional<Path> trustedRoot) {

    /** No flags. */
    public static PolicyFlags none() {
        return new PolicyFlags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Whether any policy flag (not counting {@code --trusted-root}) was given. */
    public boolean definesPolicy() {
        return key.isPresent() || identity.isPresent() || identityRegexp.isPresent() || issuer.isPresent()
                || issuerRegexp.isPresent() || githubWorkflowRepository.isPresent();
    }
}
