package dev.qmt4j.sigstore.cosign;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.RegistryRef;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simple-signing payload of a legacy cosign signature:
 * <pre>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},
 *   "type":"cosign container image signature"},"optional":null|{...}}</pre>
 *
 * <p>Parsing is strict (as containers/image does): exact lower-case keys, no unknown members,
 * no duplicate keys, the type must be the cosign one. Parse only bytes whose signature verified.
 *
 * @param dockerReference {@code critical.identity.docker-reference}: the repository the signer signed
 *     for (cosign writes {@code registry/repository}, without tag or digest)
 * @param manifestDigest  {@code critical.image.docker-manifest-digest}, exactly as written
 * @param optional        {@code optional} as string values (empty for {@code null})
 */
public record SimpleSigningPayload(String dockerReference, String manifestDigest, Map<String, String> optional) {
    /** The only accepted {@code critical.type}. */
    public static final String TYPE = "cosign container image signature";

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public SimpleSigningPayload {
        optional = Map.copyOf(optional);
    }

    /** The bytes cosign writes for {@code digest} (Go {@code json.Marshal} layout; annotations sorted). */
    public static byte[] create(String dockerReference, Digest digest, Map<String, String> annotations) {
        Map<String, Object> critical = new LinkedHashMap<>();
        critical.put("identity", Map.of("docker-reference", dockerReference));
        critical.put("image", Map.of("docker-manifest-digest", digest.toString()));
        critical.put("type", TYPE);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("critical", critical);
        root.put("optional", annotations.isEmpty() ? null : new TreeMap<>(annotations));
        return STRICT.writeValueAsBytes(root);
    }

    /**
     * Parses payload bytes strictly.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SimpleSigningPayload parse(byte[] bytes) {
        JsonNode root;
        try {
            root = STRICT.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("payload is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        object(root, "payload", Set.of("critical", "optional"), Set.of("critical"));
        JsonNode critical = root.get("critical");
        object(critical, "critical", Set.of("identity", "image", "type"), Set.of("identity", "image", "type"));
        JsonNode identity = critical.get("identity");
        object(identity, "critical.identity", Set.of("docker-reference"), Set.of("docker-reference"));
        JsonNode image = critical.get("image");
        object(image, "critical.image", Set.of("docker-manifest-digest"), Set.of("docker-manifest-digest"));
        String type = string(critical.get("type"), "critical.type");
        if (!type.equals(TYPE)) {
            throw new IllegalArgumentException("critical.type is '" + type + "', not '" + TYPE + "'");
        }
        Map<String, String> optional = new TreeMap<>();
        JsonNode opt = root.get("optional");
        if (opt != null && !opt.isNull()) {
            if (!opt.isObject()) {
                throw new IllegalArgumentException("optional must be an object or null");
            }
            for (Map.Entry<String, JsonNode> e : opt.properties()) {
                JsonNode v = e.getValue();
                optional.put(e.getKey(), v.isString() ? v.stringValue() : v.toString());
            }
        }
        return new SimpleSigningPayload(string(identity.get("docker-reference"), "critical.identity.docker-reference"),
                string(image.get("docker-manifest-digest"), "critical.image.docker-manifest-digest"), optional);
    }

    /** Whether the payload names exactly {@code digest} (full-string compare of {@code sha256:<hex>}). */
    public boolean names(Digest digest) {
        return manifestDigest.equals(digest.toString());
    }

    /**
     * Whether the signed {@code docker-reference} names the repository of {@code ref}. cosign writes
     * go-containerregistry's {@code Repository.Name()} (https://github.com/sigstore/sigstore,
     * pkg/signature/payload/payload.go), e.g. {@code index.docker.io/library/ubuntu} or
     * {@code ghcr.io/querymt/openai}; other signers may add a tag or digest, which is ignored here:
     * only registry and repository are compared, with Docker Hub's host aliases, its implicit
     * {@code library/} and the registry host case-insensitively.
     */
    public static boolean sameRepository(String signed, RegistryRef ref) {
        String s = signed;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        if (s.lastIndexOf(':') > s.lastIndexOf('/')) { // a tag; a port's colon comes before a slash
            s = s.substring(0, s.lastIndexOf(':'));
        }
        int slash = s.indexOf('/');
        String head = slash < 0 ? "" : s.substring(0, slash);
        String host;
        String repository;
        if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
            host = head.toLowerCase(Locale.ROOT);
            repository = s.substring(slash + 1);
        } else {
            host = "docker.io";
            repository = s;
        }
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            host = "docker.io";
        }
        if (host.equals("docker.io") && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        return !repository.isEmpty() && host.equals(ref.registry().toLowerCase(Locale.ROOT))
                && repository.equals(ref.repository());
    }

    /** The first required annotation that is missing or different, if any. */
    public Optional<String> missingAnnotation(Map<String, String> required) {
        return required.entrySet().stream().filter(e -> !e.getValue().equals(optional.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue() + " (found " + optional.getOrDefault(e.getKey(), "none") + ")")
                .findFirst();
    }

    private static void object(JsonNode n, String where, Set<String> allowed, Set<String> required) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        for (String name : n.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + " has unknown member '" + name + "'");
            }
        }
        for (String r : required) {
            if (!n.has(r)) {
                throw new IllegalArgumentException(where + " lacks '" + r + "'");
            }
        }
    }

    private static String string(JsonNode n, String where) {
        if (n == null || !n.isString()) {
            throw new IllegalArgumentException(where + " must be a string");
        }
        return n.stringValue();
    }
}
