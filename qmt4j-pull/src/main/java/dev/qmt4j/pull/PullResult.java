package dev.qmt4j.pull;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.Signer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A plugin on disk, ready to load.
 *
 * @param reference      the canonical reference that was asked for
 * @param digest         the top-level digest the reference resolved to (index or manifest): what is signed
 * @param manifestDigest the image manifest actually used (an index child, or {@code digest})
 * @param layerDigest    the layer the plugin came from
 * @param type           Wasm or native
 * @param platform       the index platform chosen, if any
 * @param path           the plugin file
 * @param cached         true if no download was needed
 * @param offline        true if the registry was unreachable and the last resolved digest was used
 * @param warnings       things the user should know (offline use, skipped verification)
 * @param verification   the signature verifier's summary (who signed it): from the verifier on this pull, or as
 *                       stored with the cached evidence on a cache hit; empty when verification was skipped.
 *                       For display only: decisions compare {@code signer}
 * @param signer         who signed it, as the verifier established it on this pull, or as its re-check of the
 *                       cached evidence established it on a cache hit ({@link dev.qmt4j.oci.SignatureVerifier#recheck});
 *                       empty when verification was skipped or the verifier names no signer
 */
public record PullResult(ImageRef reference, Digest digest, Digest manifestDigest, Digest layerDigest,
        PluginType type, Optional<Platform> platform, Path path, boolean cached, boolean offline,
        List<String> warnings, Optional<String> verification, Optional<Signer> signer) {

    public PullResult {
        warnings = List.copyOf(warnings);
        java.util.Objects.requireNonNull(signer, "signer");
    }
}
