package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageIndex;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a keyed signature as cosign v3 does (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md):
 * a Sigstore bundle v0.3 whose DSSE envelope
 * carries an in-toto statement (subject = the digest, predicate type {@value #COSIGN_SIGN_PREDICATE}),
 * pushed as an OCI 1.1 referrer of the digest (empty config, one bundle layer, {@code subject}), and
 * listed in the {@code sha256-<hex>} referrers fallback index for registries without the referrers API.
 * No transparency-log entry is made (qmt4j does not upload to Rekor).
 */
public final class BundleSigner {
    /** The predicate type of a cosign image signature. */
    public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BundleSigner() {}

    /** What was written: the referrer manifest digest and the bundle bytes. */
    public record Signed(Digest referrer, byte[] bundle) {}

    /** Signs {@code subject} with {@code key} and attaches the bundle as a referrer. */
    public static Signed sign(ImageSource source, ImageTarget target, Digest subject, PrivateKey key, PublicKey publicKey) {
        byte[] bundle = bundle(subject, key, publicKey);
        return attach(source, target, subject, bundle);
    }

    /** The bundle v0.3 JSON for a keyed DSSE signature of {@code subject}. */
    public static byte[] bundle(Digest subject, PrivateKey key, PublicKey publicKey) {
        return bundle(subject, key, publicKey, Map.of());
    }

    /**
     * The bundle v0.3 JSON for a keyed DSSE signature of {@code subject}, with {@code annotations}
     * ({@code cosign sign -a}) on the in-toto subject, where cosign v3 puts them.
     */
    public static byte[] bundle(Digest subject, PrivateKey key, PublicKey publicKey, Map<String, String> annotations) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("name", "");
        sub.put("digest", Map.of(subject.algorithm(), subject.hex()));
        if (!annotations.isEmpty()) {
            sub.put("annotations", new java.util.TreeMap<>(annotations));
        }
        statement.put("subject", List.of(sub));
        statement.put("predicateType", COSIGN_SIGN_PREDICATE);
        statement.put("predicate", Map.of());
        byte[] payload = JSON.writeValueAsBytes(statement);
        byte[] sig = LegacySignatureScheme.sign(key, pae(IN_TOTO, payload));
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("payload", b64.encodeToString(payload));
        envelope.put("payloadType", IN_TOTO);
        envelope.put("signatures", List.of(Map.of("sig", b64.encodeToString(sig))));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mediaType", CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE);
        root.put("verificationMaterial", Map.of("publicKey", Map.of("hint", CosignKeys.fingerprint(publicKey)),
                "tlogEntries", List.of()));
        root.put("dsseEnvelope", envelope);
        return JSON.writeValueAsBytes(root);
    }

    /** DSSE pre-authentication encoding. */
    public static byte[] pae(String type, byte[] payload) {
        byte[] head = ("DSSEv1 " + type.getBytes(StandardCharsets.UTF_8).length + " " + type + " " + payload.length + " ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /** Pushes {@code bundle} as a referrer of {@code subject} and records it in the fallback tag index. */
    public static Signed attach(ImageSource source, ImageTarget target, Digest subject, byte[] bundle) {
        Descriptor layer = Descriptor.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE, Digest.sha256(bundle), bundle.length);
        target.pushBlob(layer, bundle);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor config = Descriptor.of(MediaTypes.OCI_EMPTY, Digest.sha256(empty), empty.length);
        target.pushBlob(config, empty);
        ManifestBlob subjectBlob = source.manifest(subject);
        Descriptor subjectDescriptor = Descriptor.of(subjectBlob.mediaType() != null ? subjectBlob.mediaType() : MediaTypes.OCI_MANIFEST,
                subject, subjectBlob.bytes().length);
        ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, Optional.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE), config,
                List.of(layer), Map.of("dev.sigstore.bundle.content", "dsse-envelope",
                        "dev.sigstore.bundle.predicateType", COSIGN_SIGN_PREDICATE), Optional.of(subjectDescriptor));
        byte[] bytes = ManifestCodec.write(m);
        Digest referrer = target.pushManifest(bytes, MediaTypes.OCI_MANIFEST, null);
        // Referrers tag schema: append to the sha256-<hex> index (registries without the referrers API).
        String tag = CosignAnnotations.referrersTag(subject);
        List<Descriptor> entries = new ArrayList<>();
        Optional<ManifestBlob> existing = source.manifestForTag(tag);
        if (existing.isPresent()) {
            Manifest idx = existing.get().parse();
            if (idx instanceof ImageIndex ii) {
                entries.addAll(ii.manifests());
            }
        }
        entries.add(new Descriptor(MediaTypes.OCI_MANIFEST, referrer, bytes.length, m.annotations(), Optional.empty(),
                Optional.of(CosignAnnotations.BUNDLE_V03_ARTIFACT_TYPE)));
        byte[] index = ManifestCodec.write(new ImageIndex(MediaTypes.OCI_INDEX, Optional.empty(), entries, Map.of()));
        target.pushManifest(index, MediaTypes.OCI_INDEX, tag);
        return new Signed(referrer, bundle);
    }
}
