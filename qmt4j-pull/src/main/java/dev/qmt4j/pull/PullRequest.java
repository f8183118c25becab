package dev.qmt4j.pull;

import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Platform;
import java.util.Optional;

/**
 * What to pull.
 *
 * @param reference             the image
 * @param platform              a {@code --platform} override; empty means the host's
 * @param fileName              the plugin file name to produce (Wasm) or look for (native); empty for the default
 * @param force                 re-resolve and re-download even if cached
 * @param insecureSkipSignature skip signature verification (only when the user asked for it)
 */
public record PullRequest(ImageRef reference, Optional<Platform> platform, Optional<String> fileName, boolean force,
        boolean insecureSkipSignature) {

    public static PullRequest of(ImageRef reference) {
        return new PullRequest(reference, Optional.empty(), Optional.empty(), false, false);
    }
}
