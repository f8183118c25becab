package dev.qmt4j.sigstore.bundle;

import dev.qmt4j.sigstore.policy.VerificationException;
import dev.qmt4j.sigstore.tlog.InclusionProof;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Sigstore bundle ({@code dev.sigstore.bundle.v1.Bundle}, versions 0.1 to 0.3). Parsing
 * checks structure only; {@link BundleVerifier} checks everything else.
 *
 * @param mediaType the media type as written
 * @param version "0.1", "0.2" or "0.3"
 * @param certificates the signing certificate first, then any chain sent along (untrusted); empty
 *     for a public-key bundle
 * @param publicKeyHint the {@code publicKey.hint}, for key bundles
 * @param tlogEntries transparency-log entries
 * @param rfc3161Timestamps DER RFC 3161 timestamp responses ({@code signedTimestamp})
 * @param content the signed content
 */
public record SigstoreBundle(String mediaType, String version, List<X509Certificate> certificates,
        Optional<String> publicKeyHint, List<TlogEntry> tlogEntries, List<byte[]> rfc3161Timestamps, Content content) {
    public SigstoreBundle {
        certificates = List.copyOf(certificates);
        tlogEntries = List.copyOf(tlogEntries);
        rfc3161Timestamps = List.copyOf(rfc3161Timestamps);
        Objects.requireNonNull(content, "content");
    }

    /**
     * Parses bundle JSON.
     *
     * @throws VerificationException ({@link dev.qmt4j.sigstore.policy.Check#FORMAT}) for malformed
     *     JSON, unknown media type/version, invalid base64, negative indexes, missing fields
     */
    public static SigstoreBundle parse(byte[] json) throws VerificationException {
        return BundleParser.parse(json);
    }

    /** The signing certificate, if this is a certificate bundle. */
    public Optional<X509Certificate> leaf() {
        return certificates.isEmpty() ? Optional.empty() : Optional.of(certificates.get(0));
    }

    /**
     * A transparency-log entry.
     *
     * @param logIndex the global log index
     * @param logId the log ID ({@code logId.keyId})
     * @param kind entry kind ({@code kindVersion.kind})
     * @param kindVersion entry version
     * @param integratedTime unix seconds, empty if absent/0 (Rekor v2)
     * @param signedEntryTimestamp the inclusion promise, if present
     * @param inclusionProof the inclusion proof, if present
     * @param canonicalizedBody the entry body bytes
     */
    public record TlogEntry(long logIndex, byte[] logId, String kind, String kindVersion, Optional<Long> integratedTime,
            Optional<byte[]> signedEntryTimestamp, Optional<InclusionProof> inclusionProof, byte[] canonicalizedBody) {}

    /** The bundle's signed content: a message signature or a DSSE envelope. */
    public sealed interface Content {}

    /**
     * A signature over an artifact.
     *
     * @param digestAlgorithm JCA name of the message digest algorithm ("SHA-256", ...), if a digest is given
     * @param digest the artifact digest hint (unauthenticated), if given
     * @param signature the signature bytes
     */
    public record MessageSignature(Optional<String> digestAlgorithm, Optional<byte[]> digest, byte[] signature) implements Content {}

    /**
     * A DSSE envelope.
     *
     * @param payloadType e.g. {@code application/vnd.in-toto+json}
     * @param payload the decoded payload
     * @param signatures the decoded signatures (verification requires exactly one)
     */
    public record DsseEnvelope(String payloadType, byte[] payload, List<byte[]> signatures) implements Content {
        /** PAE(payloadType, payload): {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}. */
        public byte[] pae() {
            byte[] type = payloadType.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(head, head.length + payload.length);
            System.arraycopy(payload, 0, out, head.length, payload.length);
            return out;
        }
    }
}
