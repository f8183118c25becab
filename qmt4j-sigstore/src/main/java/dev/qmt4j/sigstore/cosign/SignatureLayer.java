package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.oci.Digest;
import java.util.Optional;

/**
 * One legacy cosign signature: a layer of the {@code sha256-<hex>.sig} manifest whose blob (the
 * payload) hashed to its descriptor digest and whose signature annotation decoded. Nothing in it is
 * trusted yet.
 *
 * @param index          position in the signature manifest (for messages)
 * @param payloadDigest  the layer descriptor digest (checked against {@code payload})
 * @param payload        the simple-signing payload blob bytes
 * @param signature      the decoded signature annotation
 * @param certificatePem the certificate annotation, if non-empty
 * @param chainPem       the chain annotation, if non-empty (untrusted)
 * @param rekorBundle    the Rekor bundle annotation JSON, if non-empty
 */
public record SignatureLayer(int index, Digest payloadDigest, byte[] payload, byte[] signature,
        Optional<String> certificatePem, Optional<String> chainPem, Optional<String> rekorBundle) {

    public SignatureLayer {
        payload = payload.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** "signature 2 (sha256:...)" for messages. */
    public String describe() {
        return "signature " + (index + 1) + " (" + payloadDigest + ")";
    }
}
