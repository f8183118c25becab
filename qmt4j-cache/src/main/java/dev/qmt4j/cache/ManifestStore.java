package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The raw manifests in {@code manifests/<alg>/<hex>}, each with the media type it was served with in a
 * {@code .media-type} sidecar; re-hashed on every read.
 */
final class ManifestStore {
    static final String MEDIA_TYPE_SUFFIX = ".media-type";

    private final CacheLayout layout;

    ManifestStore(CacheLayout layout) {
        this.layout = layout;
    }

    /** A cached manifest, re-hashed against its digest; a corrupt copy is deleted and reported absent. */
    Optional<ManifestBlob> find(Digest digest) {
        Path file = file(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw CacheFiles.failure("cannot read " + file, e);
        }
        if (!digest.withHash(digest.newHasher().digest(bytes)).equals(digest)) {
            CacheFiles.deleteTree(layout.tmp(), file);
            return Optional.empty();
        }
        String mediaType = null;
        try {
            mediaType = Files.readString(mediaTypeFile(digest), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // Optional: the parser falls back to the manifest's own mediaType field.
        }
        return Optional.of(new ManifestBlob(digest, mediaType == null || mediaType.isEmpty() ? null : mediaType, bytes));
    }

    /** A cached manifest, parsed; empty if it is absent, corrupt or not a manifest qmt4j can read. */
    Optional<Manifest> parsed(Digest digest) {
        return find(digest).flatMap(blob -> {
            try {
                return Optional.of(blob.parse());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** Stores a manifest's raw bytes (the source has already checked them against the digest). */
    void put(ManifestBlob blob) {
        Path file = file(blob.digest());
        if (Files.exists(file)) {
            return;
        }
        if (blob.mediaType() != null) {
            // Written first, so that whoever sees the bytes also sees their type.
            CacheFiles.writeAtomically(layout.tmp(), mediaTypeFile(blob.digest()), blob.mediaType().getBytes(StandardCharsets.UTF_8));
        }
        CacheFiles.writeAtomically(layout.tmp(), file, blob.bytes());
    }

    private Path file(Digest d) {
        return layout.manifests().resolve(d.algorithm()).resolve(d.hex());
    }

    private Path mediaTypeFile(Digest d) {
        return layout.manifests().resolve(d.algorithm()).resolve(d.hex() + MEDIA_TYPE_SUFFIX);
    }
}
