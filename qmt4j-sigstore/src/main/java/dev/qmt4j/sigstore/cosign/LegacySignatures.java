package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageManifest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Manifest;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.ManifestCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Discovery of legacy cosign signatures (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md):
 * the {@code sha256-<hex>.sig} tag of the
 * <em>resolved</em> digest in the same repository, read through the pull's own source (so with its
 * credentials). Each simple-signing layer becomes a {@link SignatureLayer} after its blob is checked
 * against its descriptor; anything malformed is recorded as a problem, never fatal on its own.
 *
 * @param manifest the signature manifest, if the tag exists
 * @param layers   the well-formed signature layers
 * @param problems why other layers were skipped or refused
 */
public record LegacySignatures(Optional<ManifestBlob> manifest, List<SignatureLayer> layers, List<String> problems) {

    public LegacySignatures {
        layers = List.copyOf(layers);
        problems = List.copyOf(problems);
    }

    /** Nothing found. */
    public static LegacySignatures none() {
        return new LegacySignatures(Optional.empty(), List.of(), List.of());
    }

    /** Looks up and reads the signatures of {@code digest} from {@code source}. */
    public static LegacySignatures discover(ImageSource source, Digest digest) {
        Optional<ManifestBlob> blob = source.manifestForTag(CosignAnnotations.signatureTag(digest));
        if (blob.isEmpty()) {
            return none();
        }
        return read(source, blob.get());
    }

    /** Reads the layers of a signature manifest already fetched (also used to re-check cached evidence). */
    public static LegacySignatures read(ImageSource source, ManifestBlob blob) {
        List<SignatureLayer> layers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Manifest parsed;
        try {
            parsed = ManifestCodec.parse(blob.bytes(), blob.mediaType(), source.describe() + " signature manifest");
        } catch (Qmt4jException e) {
            return new LegacySignatures(Optional.of(blob), List.of(), List.of("signature manifest: " + e.getMessage()));
        }
        if (!(parsed instanceof ImageManifest m)) {
            return new LegacySignatures(Optional.of(blob), List.of(), List.of("signature tag points at an index, not an image manifest"));
        }
        if (m.layers().size() > CosignAnnotations.MAX_LAYERS) {
            return new LegacySignatures(Optional.of(blob), List.of(), List.of("signature manifest has " + m.layers().size()
                    + " layers, more than " + CosignAnnotations.MAX_LAYERS));
        }
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor d = m.layers().get(i);
            String where = "signature " + (i + 1) + " (" + d.digest() + ")";
            if (!CosignAnnotations.SIMPLE_SIGNING_MEDIA_TYPE.equals(d.mediaType())) {
                problems.add(where + ": media type " + d.mediaType() + " is not a cosign simple-signing layer; ignored");
                continue;
            }
            String sigText = d.annotations().get(CosignAnnotations.SIGNATURE);
            if (sigText == null || sigText.isEmpty()) {
                problems.add(where + ": no " + CosignAnnotations.SIGNATURE + " annotation");
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(sigText);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": the " + CosignAnnotations.SIGNATURE + " annotation is not base64");
                continue;
            }
            if (d.size() > CosignAnnotations.MAX_PAYLOAD_BYTES || d.size() < 0) {
                problems.add(where + ": payload of " + d.size() + " bytes exceeds the " + CosignAnnotations.MAX_PAYLOAD_BYTES
                        + "-byte limit; not downloaded");
                continue;
            }
            byte[] payload;
            try {
                payload = fetchSmall(source, d);
            } catch (Qmt4jException e) {
                if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e; // network and auth failures are not the signature's fault: report them as such
                }
                problems.add(where + ": payload blob refused: " + e.getMessage());
                continue;
            }
            layers.add(new SignatureLayer(i, d.digest(), payload, sig, nonEmpty(d, CosignAnnotations.CERTIFICATE),
                    nonEmpty(d, CosignAnnotations.CHAIN), nonEmpty(d, CosignAnnotations.BUNDLE)));
        }
        return new LegacySignatures(Optional.of(blob), layers, problems);
    }

    private static Optional<String> nonEmpty(Descriptor d, String key) {
        return Optional.ofNullable(d.annotations().get(key)).filter(v -> !v.isEmpty());
    }

    /** Fetches a small blob through the source (which checks digest and size) into memory. */
    static byte[] fetchSmall(ImageSource source, Descriptor d) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("qmt4j-sig-");
            Path file = dir.resolve("blob");
            source.fetchBlob(d, file, (done, total) -> { });
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot buffer a signature blob", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("blob"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temp file of a few bytes is harmless
                }
            }
        }
    }
}
