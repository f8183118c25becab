package dev.qmt4j.oci;

/**
 * Manifest bytes exactly as the source served them, with their (checked) digest and media type.
 * Keeping the bytes lets the cache store and later re-hash them.
 */
public record ManifestBlob(Digest digest, String mediaType, byte[] bytes) {

    /** Parses the bytes. */
    public Manifest parse() {
        return Manifest.parse(bytes, mediaType);
    }
}
