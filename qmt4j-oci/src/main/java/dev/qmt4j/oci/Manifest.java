package dev.qmt4j.oci;

import java.util.Map;
import java.util.Optional;

/**
 * A parsed manifest: either one image or an index of images. Parsing never trusts the bytes:
 * anything malformed becomes an {@code INTEGRITY} error, never a crash.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

    String mediaType();

    Optional<String> artifactType();

    Map<String, String> annotations();

    /** Parses manifest bytes; {@code mediaType} is the Content-Type the source reported, if any. */
    static Manifest parse(byte[] bytes, String mediaType) {
        return ManifestCodec.parse(bytes, mediaType);
    }
}
