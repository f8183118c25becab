package dev.qmt4j.oci.layout;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads images from a directory in OCI image-layout format: the air-gapped and embedded-default
 * path. Every manifest and blob is hashed against the digest it is stored under.
 */
public final class OciLayoutSource implements ImageSource {
    /** Same cap as for registries: a manifest is metadata, never megabytes. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final LayoutRef ref;
    private final Path dir;

    /**
     * Opens the layout.
     *
     * @throws Qmt4jException {@code NOT_FOUND} if the directory or its {@code index.json} is missing
     */
    public OciLayoutSource(LayoutRef ref) {
        this.ref = ref;
        this.dir = ref.directory();
        if (!Files.isDirectory(dir)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "OCI layout directory " + dir + " does not exist",
                    "check the path in " + ref.canonical() + "; a layout is created by `qmt4j push oci-layout://DIR:tag ...`"
                            + " or `skopeo copy ... oci:DIR:tag`");
        }
        if (!Files.isRegularFile(dir.resolve(LayoutFiles.INDEX_JSON))) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, dir + " is not an OCI image layout: it has no "
                    + LayoutFiles.INDEX_JSON, "point oci-layout:// at the directory holding oci-layout, index.json and blobs/");
        }
    }

    @Override
    public ImageRef reference() {
        return ref;
    }

    @Override
    public Optional<Digest> peekDigest() {
        return Optional.of(ref.digest().orElseGet(() -> entry().digest()));
    }

    @Override
    public ManifestBlob resolve() {
        if (ref.digest().isPresent()) {
            return manifest(ref.digest().get());
        }
        Descriptor entry = entry();
        byte[] bytes = readManifestBytes(entry.digest());
        if (bytes.length != entry.size()) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "manifest " + entry.digest() + " in " + describe() + " has "
                    + bytes.length + " bytes, index.json says " + entry.size());
        }
        return new ManifestBlob(entry.digest(), entry.mediaType(), bytes);
    }

    @Override
    public ManifestBlob manifest(Digest digest) {
        byte[] bytes = readManifestBytes(digest);
        String mediaType = index().manifests().stream().filter(d -> d.digest().equals(digest)).findFirst()
                .map(Descriptor::mediaType)
                .orElseGet(() -> ManifestCodec.parse(bytes, null, describe()).mediaType());
        return new ManifestBlob(digest, mediaType, bytes);
    }

    @Override
    public Optional<ManifestBlob> manifestForTag(String tag) {
        return index().manifests().stream().filter(d -> tag.equals(d.annotations().get(LayoutFiles.REF_NAME)))
                .findFirst().map(d -> new ManifestBlob(d.digest(), d.mediaType(), readManifestBytes(d.digest())));
    }

    @Override
    public void fetchBlob(Descriptor descriptor, Path target, TransferListener listener) {
        Path blob = LayoutFiles.blobPath(dir, descriptor.digest());
        if (Files.exists(target)) {
            throw new IllegalArgumentException("target exists: " + target);
        }
        try (InputStream in = Files.newInputStream(blob)) {
            LayoutFiles.copyVerified(in, descriptor, target, listener, describe());
        } catch (NoSuchFileException e) {
            throw missingBlob(descriptor.digest());
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot copy blob from", blob, e);
        }
    }

    @Override
    public String describe() {
        return "layout " + dir;
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    /** The index.json entry the reference names: by tag, or the only one. */
    private Descriptor entry() {
        List<Descriptor> entries = index().manifests();
        if (ref.tag().isPresent()) {
            String tag = ref.tag().get();
            return entries.stream().filter(d -> tag.equals(d.annotations().get(LayoutFiles.REF_NAME))).findFirst()
                    .orElseThrow(() -> new Qmt4jException(ErrorKind.NOT_FOUND, "no image tagged '" + tag + "' in "
                            + describe(), "tags present: " + tags(entries)));
        }
        if (entries.size() != 1) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, describe() + " holds " + entries.size()
                    + " images and the reference names no tag", entries.isEmpty() ? "push an image into it first"
                    : "add :tag to the reference; tags present: " + tags(entries));
        }
        return entries.get(0);
    }

    private static String tags(List<Descriptor> entries) {
        String tags = entries.stream().map(d -> d.annotations().get(LayoutFiles.REF_NAME))
                .filter(t -> t != null).collect(Collectors.joining(", "));
        return tags.isEmpty() ? "(none)" : tags;
    }

    private ImageIndex index() {
        Path path = dir.resolve(LayoutFiles.INDEX_JSON);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot read", path, e);
        }
        Manifest parsed = ManifestCodec.parse(bytes, MediaTypes.OCI_INDEX, describe() + " index.json");
        if (!(parsed instanceof ImageIndex index)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "index.json in " + describe() + " is not an image index");
        }
        return index;
    }

    private byte[] readManifestBytes(Digest digest) {
        Path path = LayoutFiles.blobPath(dir, digest);
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_MANIFEST_BYTES) {
                throw new Qmt4jException(ErrorKind.INTEGRITY, "manifest " + digest + " in " + describe()
                        + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw missingBlob(digest);
        } catch (IOException e) {
            throw LayoutFiles.ioError("cannot read", path, e);
        }
        Digest actual = hash(digest, bytes);
        if (!actual.equals(digest)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "manifest " + digest + " in " + describe() + " hashes to "
                    + actual, "the layout was altered or corrupted; re-create it from a trusted copy");
        }
        return bytes;
    }

    private static Digest hash(Digest expected, byte[] bytes) {
        return expected.withHash(expected.newHasher().digest(bytes));
    }

    private Qmt4jException missingBlob(Digest digest) {
        return new Qmt4jException(ErrorKind.NOT_FOUND, "blob " + digest + " is missing from " + describe(),
                "the layout is incomplete; copy it again");
    }
}
