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
    static final String REFERRERS = "referrers.index.json";
    static final String REFERRER_PREFIX = "referrer-";

    private final ImageRef ref;
    private final Digest subject;
    private final Map<String, byte[]> files;

    EvidenceSource(ImageRef ref, Digest subject, Map<String, byte[]> files) {
        this.ref = ref;
        this.subject = subject;
        this.files = new HashMap<>(files);
    }

    /** The evidence files: signature manifest and payloads, referrers index, referrer manifests and bundles. */
    static Map<String, byte[]> files(dev.qmt4j.sigstore.cosign.LegacySignatures legacy,
            dev.qmt4j.sigstore.cosign.ReferrerBundles bundles) {
        Map<String, byte[]> out = new HashMap<>();
        legacy.manifest().ifPresent(m -> out.put(MANIFEST, m.bytes()));
        for (var l : legacy.layers()) {
            out.put(PAYLOAD_PREFIX + l.payloadDigest().hex(), l.payload());
        }
        bundles.index().ifPresent(i -> out.put(REFERRERS, i.bytes()));
        for (var b : bundles.bundles()) {
            out.put(REFERRER_PREFIX + b.referrer().hex(), b.manifest().bytes());
            out.put(PAYLOAD_PREFIX + Digest.sha256(b.bundle()).hex(), b.bundle());
        }
        return out;
    }

    @Override
    public ImageRef reference() {
        return ref;
    }

    @Override
    public Optional<ManifestBlob> manifestForTag(String tag) {
        if (tag.equals(dev.qmt4j.sigstore.cosign.CosignAnnotations.referrersTag(subject))) {
            return Optional.ofNullable(files.get(REFERRERS)).map(b -> new ManifestBlob(Digest.sha256(b), MediaTypes.OCI_INDEX, b));
        }
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
        byte[] b = files.get(REFERRER_PREFIX + digest.hex());
        if (b == null) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "manifest " + digest + " is not in the stored evidence");
        }
        if (!digest.withHash(digest.newHasher().digest(b)).equals(digest)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "stored manifest " + digest + " was altered");
        }
        return new ManifestBlob(digest, MediaTypes.OCI_MANIFEST, b);
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
