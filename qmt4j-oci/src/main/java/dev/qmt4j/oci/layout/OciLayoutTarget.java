package dev.qmt4j.oci.layout;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.lock.ProcessLock;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.TransferListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes images into a directory in OCI image-layout format, creating it if needed. Blobs are
 * verified as they are copied and every file appears atomically; {@code index.json} is rewritten
 * as a whole, with a pushed tag replacing any earlier entry of the same name.
 *
 * <p>Safe to use from several threads and processes on one layout at once: every read-modify-write
 * of {@code index.json} holds the layout's {@link LayoutLock} ({@code .qmt4j-index.lock}, an OS file
 * lock that dies with its process), and the new index is written to a temporary file and renamed over
 * the old one, so readers (which take no lock) see the old index or the new one, never half of one.
 */
public final class OciLayoutTarget implements ImageTarget {
    private final LayoutRef ref;
    private final Path dir;

    /** Opens (creating if missing) the layout directory with its {@code oci-layout} and {@code index.json}. */
    public OciLayoutTarget(LayoutRef ref) {
        this.ref = ref;
        this.dir = ref.directory();
        try {
            Files.createDirectories(dir.resolve("blobs"));
            if (!Files.exists(dir.resolve(LayoutFiles.OCI_LAYOUT))) {
                LayoutFiles.writeAtomically(dir.resolve(LayoutFiles.OCI_LAYOUT),
                        LayoutFiles.LAYOUT_VERSION_JSON.getBytes(StandardCharsets.UTF_8));
            }
            if (!Files.exists(dir.resolve(LayoutFiles.INDEX_JSON))) {
                try (ProcessLock lock = LayoutLock.acquire(dir)) {
                    // Checked again under the lock: another process may have created it and pushed a tag since.
                    if (!Files.exists(dir.resolve(LayoutFiles.INDEX_JSON))) {
                        writeIndex(List.of());
                    }
                }
            }
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot create OCI layout", dir, e);
        }
    }

    @Override
    public ImageRef reference() {
        return ref;
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(LayoutFiles.blobPath(dir, digest));
    }

    @Override
    public void pushBlob(Descriptor descriptor, Path content) {
        if (hasBlob(descriptor.digest())) {
            return;
        }
        try (InputStream in = Files.newInputStream(content)) {
            LayoutFiles.copyVerified(in, descriptor, LayoutFiles.blobPath(dir, descriptor.digest()),
                    TransferListener.NONE, content.toString());
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot copy blob into", dir, e);
        }
    }

    @Override
    public void pushBlob(Descriptor descriptor, byte[] content) {
        if (hasBlob(descriptor.digest())) {
            return;
        }
        try {
            LayoutFiles.copyVerified(new ByteArrayInputStream(content), descriptor,
                    LayoutFiles.blobPath(dir, descriptor.digest()), TransferListener.NONE, "memory");
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot write blob into", dir, e);
        }
    }

    @Override
    public Digest pushManifest(byte[] bytes, String mediaType, String tag) {
        Digest digest = Digest.sha256(bytes);
        Descriptor blob = Descriptor.of(mediaType, digest, bytes.length);
        pushBlob(blob, bytes);
        if (tag == null) {
            // Untagged manifests (index children) are only blobs; index.json lists what users name.
            return digest;
        }
        try (ProcessLock lock = LayoutLock.acquire(dir)) {
            List<Descriptor> entries = new ArrayList<>(readIndex().manifests());
            entries.removeIf(d -> tag.equals(d.annotations().get(LayoutFiles.REF_NAME)));
            entries.add(new Descriptor(mediaType, digest, bytes.length, Map.of(LayoutFiles.REF_NAME, tag),
                    Optional.empty(), Optional.empty()));
            writeIndex(entries);
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot update index.json in", dir, e);
        }
        return digest;
    }

    @Override
    public void close() {
        // every write is complete when its method returns
    }

    private ImageIndex readIndex() {
        Path path = dir.resolve(LayoutFiles.INDEX_JSON);
        try {
            Manifest m = ManifestCodec.parse(Files.readAllBytes(path), MediaTypes.OCI_INDEX, "layout " + dir + " index.json");
            if (m instanceof ImageIndex index) {
                return index;
            }
            throw new Qmt4jException(ErrorKind.INTEGRITY, "index.json in layout " + dir + " is not an image index");
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot read", path, e);
        }
    }

    private void writeIndex(List<Descriptor> entries) throws IOException {
        ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), entries, Map.of());
        LayoutFiles.writeAtomically(dir.resolve(LayoutFiles.INDEX_JSON), ManifestCodec.write(index));
    }
}
