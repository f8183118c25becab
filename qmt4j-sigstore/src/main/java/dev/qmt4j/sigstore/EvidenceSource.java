package dev.qmt4j.sigstore;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.TransferListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ImageSource} over stored verification evidence (the signature manifest and payload
 * blobs), so cached plugins are re-verified by the same code, offline. Every blob is checked against
 * the digest asked for, as a registry source would.
 */
final class EvidenceSource implements ImageSource {
    static final String MANIFEST = "signatures.manifest.json";
    static final String PAYLOAD_PREFIX = "payload-";

    private final ImageRef ref;
    private final Digest subject;
    private final Map<String, byte[]> files;

    EvidenceSource(ImageRef ref, Digest subject, Map<String, byte[]> files) {
        this.ref = ref;
        this.subject = subject;
        this.files = new HashMap<>(files);
    }

    /** The evidence files for {@code signatures}' manifest and payloads. */
    static Map<String, byte[]> files(ManifestBlob manifest, Iterable<dev.qmt4j.sigstore.cosign.SignatureLayer> layers) {
        Map<String, byte[]> out = new HashMap<>();
        out.put(MANIFEST, manifest.bytes());
        for (var l : layers) {
            out.put(PAYLOAD_PREFIX + l.payloadDigest().hex(), l.payload());
        }
        return out;
    }

    @Override
    public ImageRef reference() {
        return ref;
    }

    @Override
    public Optional<ManifestBlob> manifestForTag(String tag) {
        byte[] m = files.get(MANIFEST);
        if (m == null || !tag.equals(dev.qmt4j.sigstore.cosign.CosignAnnotations.signatureTag(subject))) {
            return Optional.empty();
        }
        return Optional.of(new ManifestBlob(Digest.sha256(m), MediaTypes.OCI_MANIFEST, m));
    }

    @Override
    public ManifestBlob resolve() {
        throw offline();
    }

    @Override
    public ManifestBlob manifest(Digest digest) {
        throw offline();
    }

    @Override
    public void fetchBlob(Descriptor descriptor, Path target, TransferListener listener) {
        byte[] b = files.get(PAYLOAD_PREFIX + descriptor.digest().hex());
        if (b == null) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "payload " + descriptor.digest() + " is not in the stored evidence");
        }
        if (b.length != descriptor.size() || !descriptor.digest().withHash(descriptor.digest().newHasher().digest(b)).equals(descriptor.digest())) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "stored payload " + descriptor.digest() + " was altered");
        }
        try {
            Files.write(target, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Qmt4jException offline() {
        return new Qmt4jException(ErrorKind.INTERNAL, "stored evidence holds signatures only");
    }

    @Override
    public String describe() {
        return "cached verification evidence";
    }

    @Override
    public void close() {
        // nothing held
    }
}
