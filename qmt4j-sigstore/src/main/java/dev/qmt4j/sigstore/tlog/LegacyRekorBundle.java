package dev.qmt4j.sigstore.tlog;

import dev.qmt4j.sigstore.policy.Check;
import dev.qmt4j.sigstore.policy.VerificationException;
import java.util.Base64;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * cosign's "Rekor bundle" annotation ({@code dev.sigstore.cosign/bundle},
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md):
 * {@code {"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime": n, "logIndex": n, "logID": hex}}}.
 *
 * @param signedEntryTimestamp the SET (DER ECDSA signature)
 * @param body the Rekor entry body, base64 as in the annotation
 * @param integratedTime unix seconds
 * @param logIndex the global log index
 * @param logIdHex the log ID, lower-case hex
 */
public record LegacyRekorBundle(byte[] signedEntryTimestamp, String body, long integratedTime, long logIndex, String logIdHex) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public LegacyRekorBundle {
        signedEntryTimestamp = signedEntryTimestamp.clone();
    }

    @Override
    public byte[] signedEntryTimestamp() {
        return signedEntryTimestamp.clone();
    }

    /** The decoded entry body (canonicalized JSON). */
    public byte[] bodyBytes() {
        return Base64.getDecoder().decode(body);
    }

    /** The log ID bytes. */
    public byte[] logId() {
        return HexFormat.of().parseHex(logIdHex);
    }

    /**
     * Parses the annotation JSON strictly (field names case-sensitive, {@code body} a string,
     * integers non-negative, {@code logID} 64 hex digits).
     *
     * @throws VerificationException ({@link Check#FORMAT}) if malformed
     */
    public static LegacyRekorBundle parse(String json) throws VerificationException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw bad("is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad("is not a JSON object");
        }
        JsonNode set = root.get("SignedEntryTimestamp");
        JsonNode p = root.get("Payload");
        if (set == null || !set.isString() || p == null || !p.isObject()) {
            throw bad("needs SignedEntryTimestamp (string) and Payload (object)");
        }
        JsonNode body = p.get("body");
        JsonNode it = p.get("integratedTime");
        JsonNode li = p.get("logIndex");
        JsonNode id = p.get("logID");
        if (body == null || !body.isString()) {
            throw bad("Payload.body must be a string");
        }
        if (it == null || !it.isIntegralNumber() || !it.canConvertToLong() || it.longValue() < 0
                || li == null || !li.isIntegralNumber() || !li.canConvertToLong() || li.longValue() < 0) {
            throw bad("Payload.integratedTime and Payload.logIndex must be non-negative integers");
        }
        if (id == null || !id.isString() || !id.asString().matches("[0-9a-f]{64}")) {
            throw bad("Payload.logID must be 64 lower-case hex digits");
        }
        byte[] setBytes;
        try {
            setBytes = Base64.getDecoder().decode(set.asString());
            Base64.getDecoder().decode(body.asString());
        } catch (IllegalArgumentException e) {
            throw bad("has invalid base64");
        }
        return new LegacyRekorBundle(setBytes, body.asString(), it.longValue(), li.longValue(), id.asString());
    }

    private static VerificationException bad(String what) {
        return new VerificationException(Check.FORMAT, "Rekor bundle annotation " + what);
    }
}
