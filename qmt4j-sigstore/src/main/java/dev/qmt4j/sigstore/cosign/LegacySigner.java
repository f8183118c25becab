package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import dev.qmt4j.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes legacy cosign signatures (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md)
 * the way {@code cosign sign --key} does: a simple-signing
 * payload for the digest, signed (SHA-256; pure Ed25519), pushed as a layer of the
 * {@code sha256-<hex>.sig} manifest in the same repository. Existing signatures are kept: the new
 * layer is appended (an identical layer is not added twice).
 */
public final class LegacySigner {
    private LegacySigner() {}

    /** What was written. */
    public record Signed(Digest signatureManifest, String tag, Digest payloadDigest, byte[] payload, byte[] signature) {}

    /**
     * Signs {@code subject} with {@code key} and attaches the signature.
     *
     * @param dockerReference the {@code critical.identity.docker-reference} (registry/repository)
     * @param annotations     {@code optional} payload annotations ({@code cosign sign -a})
     */
    public static Signed sign(ImageSource source, ImageTarget target, Digest subject, String dockerReference,
            PrivateKey key, Map<String, String> annotations) {
        byte[] payload = SimpleSigningPayload.create(dockerReference, subject, annotations);
        byte[] sig = LegacySignatureScheme.sign(key, payload);
        return attach(source, target, subject, payload, Map.of(CosignAnnotations.SIGNATURE,
                Base64.getEncoder().encodeToString(sig)), sig);
    }

    /**
     * Appends a layer with {@code payload} and {@code layerAnnotations} (which must include the
     * signature; keyless signers add certificate, chain and bundle) to the signature manifest of
     * {@code subject}. Low-level: no check that the signature is valid (tests use it for bad ones).
     */
    public static Signed attach(ImageSource source, ImageTarget target, Digest subject, byte[] payload,
            Map<String, String> layerAnnotations, byte[] signature) {
        String tag = CosignAnnotations.signatureTag(subject);
        List<Descriptor> layers = new ArrayList<>(existingLayers(source, tag));
        Descriptor layer = new Descriptor(CosignAnnotations.SIMPLE_SIGNING_MEDIA_TYPE, Digest.sha256(payload), payload.length,
                new LinkedHashMap<>(layerAnnotations), Optional.empty(), Optional.empty());
        if (!layers.contains(layer)) {
            layers.add(layer);
        }
        target.pushBlob(layer, payload);
        byte[] config = config(layers);
        Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
        target.pushBlob(configDescriptor, config);
        ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST, Optional.empty(), configDescriptor, layers,
                Map.of(), Optional.empty());
        byte[] bytes = ManifestCodec.write(manifest);
        Digest d = target.pushManifest(bytes, MediaTypes.OCI_MANIFEST, tag);
        return new Signed(d, tag, layer.digest(), payload, signature);
    }

    private static List<Descriptor> existingLayers(ImageSource source, String tag) {
        Optional<ManifestBlob> existing = source.manifestForTag(tag);
        if (existing.isEmpty()) {
            return List.of();
        }
        Manifest m = existing.get().parse();
        return m instanceof ImageManifest im ? im.layers() : List.of();
    }

    /** An image config like cosign's: empty os/architecture, one diff ID per layer. */
    private static byte[] config(List<Descriptor> layers) {
        String diffIds = layers.stream().map(l -> "\"" + l.digest() + "\"").collect(Collectors.joining(","));
        return ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],"
                + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"config\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
