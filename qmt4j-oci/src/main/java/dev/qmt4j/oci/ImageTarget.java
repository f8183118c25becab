package dev.qmt4j.oci;

import java.nio.file.Path;

/** Somewhere images can be written to: a registry repository or an OCI layout directory. */
public interface ImageTarget extends AutoCloseable {

    /** The reference this target was opened for (its tag, if any, is what {@link #pushManifest} tags). */
    ImageRef reference();

    /** Whether the blob already exists in the target, so it need not be uploaded. */
    boolean hasBlob(Digest digest);

    /** Uploads a blob from a file whose digest and size the descriptor states. */
    void pushBlob(Descriptor descriptor, Path content);

    /** Uploads a small blob held in memory (configs). */
    void pushBlob(Descriptor descriptor, byte[] content);

    /**
     * Stores a manifest and, if {@code tag} is non-null, points the tag at it. Returns its digest.
     */
    Digest pushManifest(byte[] bytes, String mediaType, String tag);

    @Override
    void close();
}
