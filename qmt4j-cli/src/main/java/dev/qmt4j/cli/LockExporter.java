package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one locked image, byte for byte, from a source to a target (docs/locking.md, "Export"): the
 * locked manifest (under its tag, if the lock has one), every platform manifest of an index with its
 * config and layer blobs, the cosign {@code sha256-<hex>.sig} signature manifest and the referrers
 * (bundles) of the digest. Manifests are pushed with their original bytes, so every digest is unchanged.
 */
final class LockExporter {
    private final ImageSource source;
    private final ImageTarget target;
    private final Path tmpDir;
    private final Set<Digest> copied = new HashSet<>();
    private int manifests;
    private int blobs;

    LockExporter(ImageSource source, ImageTarget target, Path tmpDir) {
        this.source = source;
        this.target = target;
        this.tmpDir = tmpDir;
    }

    /** Copies {@code digest} and its signatures; returns "N manifests, M blobs" for the report. */
    String export(Digest digest, Optional<String> tag) {
        copy(source.manifest(digest), tag.orElse(null));
        String sigTag = digest.algorithm() + "-" + digest.hex() + ".sig";
        source.manifestForTag(sigTag).ifPresent(sig -> copy(sig, sigTag));
        source.referrers(digest).ifPresent(index -> {
            if (index.parse() instanceof ImageIndex refs) {
                for (Descriptor d : refs.manifests()) {
                    copy(source.manifest(d.digest()), null);
                }
            }
        });
        return manifests + " manifests, " + blobs + " blobs";
    }

    private void copy(ManifestBlob m, String tag) {
        if (copied.add(m.digest())) {
            if (m.parse() instanceof ImageIndex index) {
                for (Descriptor child : index.manifests()) {
                    copy(source.manifest(child.digest()), null);
                }
            } else {
                ImageManifest image = (ImageManifest) m.parse();
                blob(image.config());
                image.layers().forEach(this::blob);
            }
            manifests++;
        }
        // A registry indexes a referrer by its subject when the manifest is pushed; pushing by digest keeps it untagged.
        target.pushManifest(m.bytes(), m.mediaType(), tag);
    }

    private void blob(Descriptor d) {
        if (!copied.add(d.digest()) || target.hasBlob(d.digest())) {
            return;
        }
        Path tmp = tmpDir.resolve(d.digest().hex() + ".blob");
        try {
            Files.deleteIfExists(tmp);
            source.fetchBlob(d, tmp, TransferListener.NONE);
            target.pushBlob(d, tmp);
            blobs++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new Qmt4jException(ErrorKind.CACHE, "cannot remove " + tmp + ": " + e.getMessage());
            }
        }
    }
}
