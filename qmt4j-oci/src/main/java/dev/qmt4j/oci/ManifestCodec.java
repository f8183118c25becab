package dev.qmt4j.oci;

/** Reads and writes manifests as JSON. */
public final class ManifestCodec {
    private ManifestCodec() {}

    static Manifest parse(byte[] bytes, String mediaType) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Serialises a manifest to canonical bytes (what gets hashed and pushed). */
    public static byte[] write(Manifest manifest) {
        throw new UnsupportedOperationException("TODO");
    }
}
