package dev.qmt4j.oci;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Somewhere images can be read from: a registry repository or an OCI layout directory. The image
 * model knows nothing of transport; the pull pipeline only sees this interface.
 *
 * <p>Every method checks what it returns: manifest bytes and blob files always hash to the digest
 * they were asked for (and blobs match their declared size), or the call fails with an
 * {@code INTEGRITY} error and leaves nothing behind.
 */
public interface ImageSource extends AutoCloseable {

    /** The reference this source was opened for. */
    ImageRef reference();

    /**
     * The digest the reference's tag points at now, cheaply (HEAD), if the source can tell without
     * fetching the manifest. Used only to decide whether a cached copy is still current.
     */
    default Optional<Digest> peekDigest() {
        return Optional.empty();
    }

    /**
     * Fetches the manifest the reference names (by tag or digest). For a digest reference the bytes
     * are checked against it; for a tag the computed digest is returned (and checked against the
     * registry's {@code Docker-Content-Digest} header when present).
     */
    ManifestBlob resolve();

    /** Fetches a manifest by digest, checked. */
    ManifestBlob manifest(Digest digest);

    /**
     * The manifest another tag of the same repository points at (e.g. cosign's
     * {@code sha256-<hex>.sig}), with the same credentials, or empty if the tag does not exist.
     * The returned digest is computed from the bytes. Sources without tags return empty.
     */
    default Optional<ManifestBlob> manifestForTag(String tag) {
        return Optional.empty();
    }

    /**
     * The OCI 1.1 referrers index of {@code subject} ({@code GET /v2/<repo>/referrers/<digest>}),
     * or empty if the source offers no referrers API (a 404, as registries without it answer),
     * in which case callers fall back to the {@code sha256-<hex>} referrers tag. The bytes are
     * not content-addressed: callers check every manifest they fetch from it by digest.
     */
    default Optional<ManifestBlob> referrers(Digest subject) {
        return Optional.empty();
    }

    /**
     * The repository's tags, for hints only (which feature tags a publisher offers): empty when the
     * source cannot list them or listing fails. Never used to choose what to pull.
     */
    default java.util.List<String> tags() {
        return java.util.List.of();
    }

    /**
     * Streams a blob to {@code target} (which must not exist), checking digest and declared size.
     * On any failure {@code target} does not exist afterwards.
     */
    void fetchBlob(Descriptor descriptor, Path target, TransferListener listener);

    /** A short human description for messages, e.g. {@code registry ghcr.io} or {@code layout /x}. */
    String describe();

    @Override
    void close();
}
