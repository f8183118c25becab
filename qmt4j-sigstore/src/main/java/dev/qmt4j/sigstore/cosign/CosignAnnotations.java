package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.oci.Digest;

/**
 * Media types, annotation keys and tag names of cosign's on-registry formats
 * (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md,
 * https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md).
 */
public final class CosignAnnotations {
    private CosignAnnotations() {}

    /** Media type of a legacy signature layer (its blob is the simple-signing payload). */
    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** Standard base64 of the raw signature over the payload blob (the only {@code dev.cosignproject} key). */
    public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
    /** PEM of the signing certificate (keyless). */
    public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
    /** PEM of the issuing chain; untrusted, never used as anchors. */
    public static final String CHAIN = "dev.sigstore.cosign/chain";
    /** The Rekor bundle JSON (SET + entry). */
    public static final String BUNDLE = "dev.sigstore.cosign/bundle";
    /** RFC 3161 timestamp JSON. */
    public static final String RFC3161_TIMESTAMP = "dev.sigstore.cosign/rfc3161timestamp";
    /** artifactType of a Sigstore bundle v0.3 referrer, as cosign v3 writes it. */
    public static final String BUNDLE_V03_ARTIFACT_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /** Prefix every Sigstore bundle media type starts with. */
    public static final String BUNDLE_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";
    /** At most this many layers are read from one signature manifest (cosign: 1000). */
    public static final int MAX_LAYERS = 1000;
    /** Payloads above this size are refused before download (real ones are under 1 KiB). */
    public static final long MAX_PAYLOAD_BYTES = 64 * 1024;

    /** The legacy signature tag of {@code digest}: {@code sha256-<hex>.sig}. */
    public static String signatureTag(Digest digest) {
        return digest.algorithm() + "-" + digest.hex() + ".sig";
    }

    /** The referrers fallback tag of {@code digest} (distribution-spec tag schema): {@code sha256-<hex>}. */
    public static String referrersTag(Digest digest) {
        String alg = digest.algorithm().length() > 32 ? digest.algorithm().substring(0, 32) : digest.algorithm();
        String hex = digest.hex().length() > 64 ? digest.hex().substring(0, 64) : digest.hex();
        return alg + "-" + hex;
    }
}
