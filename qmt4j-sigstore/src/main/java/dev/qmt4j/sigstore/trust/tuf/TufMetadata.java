package dev.qmt4j.sigstore.trust.tuf;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One signed TUF metadata file: {@code {"signed": {...}, "signatures": [...]}}, with the canonical
 * bytes of {@code signed} the signatures are over.
 *
 * @param type       {@code _type}: root, timestamp, snapshot or targets
 * @param version    {@code version}
 * @param expires    {@code expires}
 * @param signed     the {@code signed} object
 * @param canonical  its canonical JSON bytes
 * @param signatures (keyid, hex signature) pairs as listed
 * @param raw        the file as fetched (what is cached)
 */
public record TufMetadata(String type, long version, Instant expires, JsonNode signed, byte[] canonical,
        List<Sig> signatures, byte[] raw) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One entry of {@code signatures}. */
    public record Sig(String keyId, String sig) {}

    /** A role's keys and threshold (from root's {@code roles}). */
    public record Role(Set<String> keyIds, int threshold) {}

    /** A {@code meta} entry of timestamp/snapshot, or a target of targets: version, length, hashes. */
    public record FileInfo(Optional<Long> version, Optional<Long> length, Map<String, String> hashes) {}

    /**
     * Parses and checks the type.
     *
     * @throws TufException {@code <expectedType>.format} if malformed or of another type
     */
    public static TufMetadata parse(byte[] raw, String expectedType) {
        JsonNode root;
        try {
            root = MAPPER.readTree(raw);
        } catch (JacksonException e) {
            throw new TufException(expectedType + ".format", "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.get("signed") == null || !root.get("signed").isObject()
                || root.get("signatures") == null || !root.get("signatures").isArray()) {
            throw new TufException(expectedType + ".format", "not a signed TUF metadata object");
        }
        JsonNode signed = root.get("signed");
        String type = text(signed, "_type", expectedType);
        if (!type.equals(expectedType)) {
            throw new TufException(expectedType + ".type", "_type is " + type + ", expected " + expectedType);
        }
        JsonNode v = signed.get("version");
        if (v == null || !v.isIntegralNumber() || v.longValue() < 1) {
            throw new TufException(expectedType + ".format", "version missing or not a positive integer");
        }
        Instant expires;
        try {
            expires = Instant.parse(text(signed, "expires", expectedType));
        } catch (DateTimeParseException e) {
            throw new TufException(expectedType + ".format", "expires is not an RFC 3339 time");
        }
        List<Sig> sigs = new ArrayList<>();
        for (JsonNode s : root.get("signatures")) {
            sigs.add(new Sig(text(s, "keyid", expectedType + " signature"), text(s, "sig", expectedType + " signature")));
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.encode(signed);
        } catch (IllegalArgumentException e) {
            throw new TufException(expectedType + ".format", e.getMessage());
        }
        return new TufMetadata(type, v.longValue(), expires, signed, canonical, List.copyOf(sigs), raw.clone());
    }

    /** Root only: its keys by ID. */
    public Map<String, TufKey> keys() {
        Map<String, TufKey> out = new LinkedHashMap<>();
        JsonNode keys = signed.get("keys");
        if (keys == null || !keys.isObject()) {
            throw new TufException("root.format", "root has no keys object");
        }
        for (String id : keys.propertyNames()) {
            out.put(id, TufKey.parse(id, keys.get(id)));
        }
        return out;
    }

    /** Root only: a role's key IDs and threshold. */
    public Role role(String name) {
        JsonNode r = signed.path("roles").get(name);
        if (r == null || !r.isObject() || r.get("keyids") == null || !r.get("keyids").isArray()
                || r.get("threshold") == null || !r.get("threshold").isIntegralNumber() || r.get("threshold").longValue() < 1) {
            throw new TufException("root.format", "root role " + name + " missing or without keyids/threshold >= 1");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode id : r.get("keyids")) {
            ids.add(id.asString());
        }
        return new Role(Set.copyOf(ids), (int) r.get("threshold").longValue());
    }

    /** Root only: {@code consistent_snapshot}. */
    public boolean consistentSnapshot() {
        JsonNode c = signed.get("consistent_snapshot");
        return c != null && c.isBoolean() && c.booleanValue();
    }

    /** Timestamp/snapshot: the {@code meta} entry for {@code name}. */
    public Optional<FileInfo> meta(String name) {
        JsonNode m = signed.path("meta").get(name);
        return m == null ? Optional.empty() : Optional.of(fileInfo(m));
    }

    /** Snapshot: all {@code meta} names with their versions. */
    public Map<String, Long> metaVersions() {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonNode meta = signed.get("meta");
        if (meta != null && meta.isObject()) {
            for (String name : meta.propertyNames()) {
                fileInfo(meta.get(name)).version().ifPresent(v -> out.put(name, v));
            }
        }
        return out;
    }

    /** Targets: the target {@code name}. */
    public Optional<FileInfo> target(String name) {
        JsonNode t = signed.path("targets").get(name);
        return t == null ? Optional.empty() : Optional.of(fileInfo(t));
    }

    private FileInfo fileInfo(JsonNode n) {
        Optional<Long> version = Optional.ofNullable(n.get("version")).filter(JsonNode::isIntegralNumber).map(JsonNode::longValue);
        Optional<Long> length = Optional.ofNullable(n.get("length")).filter(JsonNode::isIntegralNumber).map(JsonNode::longValue);
        Map<String, String> hashes = new LinkedHashMap<>();
        JsonNode h = n.get("hashes");
        if (h != null && h.isObject()) {
            for (String alg : h.propertyNames()) {
                hashes.put(alg, h.get(alg).asString());
            }
        }
        return new FileInfo(version, length, Map.copyOf(hashes));
    }

    /**
     * Checks that a threshold of {@code role}'s keys signed this metadata: each key ID counted once,
     * unknown keys ignored, a key ID listed twice refused (sigstore-java {@code verifyDelegate}).
     *
     * @param check the check name for the refusal, e.g. {@code root.threshold(old)}
     */
    public void verifyThreshold(Map<String, TufKey> keys, Role role, String check) {
        Set<String> seen = new HashSet<>();
        Set<String> valid = new HashSet<>();
        for (Sig s : signatures) {
            if (!seen.add(s.keyId())) {
                throw new TufException(check, type + " v" + version + " lists key " + s.keyId() + " twice");
            }
            if (!role.keyIds().contains(s.keyId())) {
                continue;
            }
            TufKey key = keys.get(s.keyId());
            if (key != null && key.verify(canonical, s.sig())) {
                valid.add(s.keyId());
            }
        }
        if (valid.size() < role.threshold()) {
            throw new TufException(check, type + " v" + version + " has " + valid.size() + " valid signature(s) of "
                    + role.keyIds().size() + " role keys; threshold " + role.threshold());
        }
    }

    static String text(JsonNode n, String field, String where) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isString()) {
            throw new TufException(where.split(" ")[0] + ".format", where + ": " + field + " missing or not a string");
        }
        return v.stringValue();
    }
}
