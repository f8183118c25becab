package dev.qmt4j.sigstore.tlog;

import dev.qmt4j.sigstore.certs.Keys;
import dev.qmt4j.sigstore.certs.Pem;
import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Rekor entry body ({@code canonicalizedBody}) and the checks that bind it to the signature it
 * claims to log (docs/verification.md, rejection cases 35-38): the logged signature, signer (certificate or public key,
 * compared as DER) and content digest must equal the ones being verified.
 *
 * <p>Supported kinds: {@code hashedrekord} 0.0.1 and 0.0.2 (Rekor v2), {@code dsse} 0.0.1,
 * {@code intoto} 0.0.2.
 *
 * @param kind entry kind
 * @param apiVersion entry version
 * @param spec the {@code spec} object
 */
public record RekorEntryBody(String kind, String apiVersion, JsonNode spec) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * Parses a body.
     *
     * @throws VerificationException ({@link Check#TLOG_BODY}) if not a JSON object with kind, apiVersion and spec
     */
    public static RekorEntryBody parse(byte[] body) throws VerificationException {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw bad("is not valid JSON");
        }
        if (n == null || !n.isObject() || !n.path("kind").isString() || !n.path("apiVersion").isString()
                || !n.path("spec").isObject()) {
            throw bad("needs kind, apiVersion and spec");
        }
        return new RekorEntryBody(n.get("kind").asString(), n.get("apiVersion").asString(), n.get("spec"));
    }

    /** "kind/apiVersion". */
    public String type() {
        return kind + "/" + apiVersion;
    }

    /**
     * Checks a message-signature entry: {@code hashedrekord} (or legacy {@code rekord} 0.0.1).
     *
     * @param signature the signature bytes being verified
     * @param signerDer DER of the signing certificate, or of the SPKI for keyed signatures
     * @param digestAlg "SHA-256", "SHA-384" or "SHA-512"
     * @param digest the artifact digest
     */
    public void checkMessageSignature(byte[] signature, byte[] signerDer, String digestAlg, byte[] digest)
            throws VerificationException {
        switch (type()) {
            case "hashedrekord/0.0.1", "rekord/0.0.1" -> {
                JsonNode sig = spec.path("signature");
                requireEqual(b64(sig.path("content"), "signature.content"), signature, "signature");
                requireSigner(pemDer(b64(sig.path("publicKey").path("content"), "signature.publicKey.content")), signerDer);
                JsonNode hash = spec.path("data").path("hash");
                String alg = hash.path("algorithm").asString("");
                if (!alg.equals(digestAlg.toLowerCase().replace("-", ""))) {
                    throw bad("logs a " + alg + " digest, expected " + digestAlg);
                }
                byte[] logged = hex(hash.path("value"), "data.hash.value");
                requireEqual(logged, digest, "artifact digest");
            }
            case "hashedrekord/0.0.2" -> checkV2(signature, signerDer, digestAlg, digest);
            default -> throw bad("has kind " + type() + ", which cannot log a message signature");
        }
    }

    /**
     * Checks an entry logging a DSSE envelope: {@code dsse} 0.0.1, {@code intoto} 0.0.2, or Rekor v2
     * {@code hashedrekord} 0.0.2 over the digest of PAE.
     *
     * @param signature the envelope's signature bytes
     * @param signerDer DER of the signing certificate, or of the SPKI for keyed signatures
     * @param payload the envelope payload bytes (decoded)
     * @param pae PAE(payloadType, payload)
     * @param paeDigestAlg hash algorithm for the Rekor v2 PAE digest (the key's default hash)
     */
    public void checkDsse(byte[] signature, byte[] signerDer, byte[] payload, byte[] pae, String paeDigestAlg)
            throws VerificationException {
        switch (type()) {
            case "dsse/0.0.1" -> {
                requireEqual(hex(spec.path("payloadHash").path("value"), "payloadHash.value"), Keys.sha256(payload), "payload hash");
                requireAlg(spec.path("payloadHash"));
                JsonNode sigs = spec.path("signatures");
                if (!sigs.isArray() || sigs.size() != 1) {
                    throw bad("must log exactly one signature, found " + (sigs.isArray() ? sigs.size() : 0));
                }
                JsonNode s = sigs.get(0);
                requireEqual(b64(s.path("signature"), "signatures[0].signature"), signature, "signature");
                requireSigner(pemDer(b64(s.path("verifier"), "signatures[0].verifier")), signerDer);
            }
            case "intoto/0.0.2" -> {
                JsonNode content = spec.path("content");
                requireEqual(hex(content.path("payloadHash").path("value"), "payloadHash.value"), Keys.sha256(payload), "payload hash");
                requireAlg(content.path("payloadHash"));
                JsonNode sigs = content.path("envelope").path("signatures");
                if (!sigs.isArray() || sigs.size() != 1) {
                    throw bad("must log exactly one signature, found " + (sigs.isArray() ? sigs.size() : 0));
                }
                JsonNode s = sigs.get(0);
                byte[] sigB64 = b64(s.path("sig"), "envelope.signatures[0].sig");
                byte[] logged;
                try {
                    // Rekor stores intoto 0.0.2 signatures base64-encoded twice
                    logged = Base64.getDecoder().decode(new String(sigB64, StandardCharsets.US_ASCII).trim());
                } catch (IllegalArgumentException e) {
                    logged = sigB64;
                }
                requireEqual(logged, signature, "signature");
                requireSigner(pemDer(b64(s.path("publicKey"), "envelope.signatures[0].publicKey")), signerDer);
            }
            case "hashedrekord/0.0.2" -> checkV2(signature, signerDer, paeDigestAlg, Keys.digest(paeDigestAlg, pae));
            default -> throw bad("has kind " + type() + ", which cannot log a DSSE envelope");
        }
    }

    private void checkV2(byte[] signature, byte[] signerDer, String digestAlg, byte[] digest) throws VerificationException {
        JsonNode v = spec.path("hashedRekordV002");
        if (!v.isObject()) {
            throw bad("hashedrekord 0.0.2 has no hashedRekordV002 object");
        }
        JsonNode sig = v.path("signature");
        requireEqual(b64(sig.path("content"), "signature.content"), signature, "signature");
        JsonNode verifier = sig.path("verifier");
        byte[] logged;
        if (verifier.path("x509Certificate").isObject()) {
            logged = b64(verifier.path("x509Certificate").path("rawBytes"), "verifier.x509Certificate.rawBytes");
        } else if (verifier.path("publicKey").isObject()) {
            logged = b64(verifier.path("publicKey").path("rawBytes"), "verifier.publicKey.rawBytes");
        } else {
            throw bad("has no verifier certificate or public key");
        }
        requireSigner(logged, signerDer);
        JsonNode data = v.path("data");
        String alg = data.path("algorithm").asString("");
        String expected = "SHA2_" + digestAlg.substring(4);
        if (!alg.equals(expected)) {
            throw bad("logs a " + alg + " digest, expected " + expected);
        }
        requireEqual(b64(data.path("digest"), "data.digest"), digest, "artifact digest");
    }

    private void requireAlg(JsonNode hash) throws VerificationException {
        if (!hash.path("algorithm").asString("").equals("sha256")) {
            throw bad("payload hash algorithm is " + hash.path("algorithm").asString("<none>") + ", expected sha256");
        }
    }

    private void requireSigner(byte[] logged, byte[] expected) throws VerificationException {
        if (!Arrays.equals(logged, expected)) {
            throw bad("logs a different certificate or public key than the one that made the signature");
        }
    }

    private void requireEqual(byte[] logged, byte[] actual, String what) throws VerificationException {
        if (!Arrays.equals(logged, actual)) {
            throw bad("logs a different " + what + " than the one being verified");
        }
    }

    /** Decodes a base64 PEM (CERTIFICATE or PUBLIC KEY) to the DER of its single block. */
    private byte[] pemDer(byte[] pem) throws VerificationException {
        try {
            List<Pem.Block> blocks = Pem.blocks(new String(pem, StandardCharsets.US_ASCII));
            if (blocks.size() != 1) {
                throw bad("signer must be exactly one PEM block, found " + blocks.size());
            }
            return blocks.get(0).der();
        } catch (IllegalArgumentException e) {
            throw bad("signer is not valid PEM: " + e.getMessage());
        }
    }

    private byte[] b64(JsonNode n, String field) throws VerificationException {
        if (!n.isString()) {
            throw bad("has no " + field);
        }
        try {
            return Base64.getDecoder().decode(n.asString());
        } catch (IllegalArgumentException e) {
            throw bad(field + " is not valid base64");
        }
    }

    private byte[] hex(JsonNode n, String field) throws VerificationException {
        if (!n.isString()) {
            throw bad("has no " + field);
        }
        try {
            return HexFormat.of().parseHex(n.asString());
        } catch (IllegalArgumentException e) {
            throw bad(field + " is not valid hex");
        }
    }

    private static VerificationException bad(String what) {
        return new VerificationException(Check.TLOG_BODY, "transparency log entry " + what);
    }
}
