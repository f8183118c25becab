package dev.qmt4j.oci;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes manifests as JSON: OCI image index and manifest, Docker manifest list and
 * schema 2 manifest.
 *
 * <p>Reading is strict about what we rely on (digests, sizes, media types) and lenient about the
 * rest; duplicate keys are rejected because two parsers could disagree on which one wins. Writing
 * is deterministic, so the same manifest always has the same digest.
 */
public final class ManifestCodec {
    private static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    private static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ManifestCodec() {}

    static Manifest parse(byte[] bytes, String mediaType) {
        return parse(bytes, mediaType, null);
    }

    /**
     * Parses manifest bytes.
     *
     * @param contentType the Content-Type the source reported, or {@code null}; used only when the
     *                    JSON has no {@code mediaType} field
     * @param origin      where the bytes came from, for messages (e.g. {@code registry ghcr.io}), or {@code null}
     * @throws Qmt4jException {@code INTEGRITY} for anything malformed or unsupported
     */
    public static Manifest parse(byte[] bytes, String contentType, String origin) {
        Reader r = new Reader(origin);
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw r.malformed("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw r.malformed("expected a JSON object");
        }
        String declared = r.optString(root, "mediaType").orElse(null);
        String type = declared != null ? declared : stripParameters(contentType);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (DOCKER_SCHEMA1.equals(type) || DOCKER_SCHEMA1_SIGNED.equals(type)
                || (schemaVersion != null && schemaVersion.isIntegralNumber() && schemaVersion.longValue() == 1)) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, r.prefix() + "Docker schema 1 manifests are not supported",
                    "republish the image with a current client (docker, oras, skopeo or qmt4j push), which writes schema 2 or OCI");
        }
        if (schemaVersion != null && !(schemaVersion.isIntegralNumber() && schemaVersion.longValue() == 2)) {
            throw r.malformed("schemaVersion must be 2, got " + schemaVersion);
        }
        boolean index;
        if (type != null && MediaTypes.isIndex(type)) {
            index = true;
        } else if (MediaTypes.OCI_MANIFEST.equals(type) || MediaTypes.DOCKER_MANIFEST.equals(type)) {
            index = false;
        } else if (declared != null) {
            throw r.malformed("unsupported mediaType '" + declared + "'");
        } else if (root.has("manifests") != root.has("layers")) {
            index = root.has("manifests");
        } else {
            throw r.malformed("neither an image index ('manifests') nor an image manifest ('layers')");
        }
        Optional<String> artifactType = r.optString(root, "artifactType");
        Map<String, String> annotations = r.annotations(root, "annotations");
        if (index) {
            List<Descriptor> manifests = r.descriptors(root, "manifests");
            return new ImageIndex(type != null && MediaTypes.isIndex(type) ? type : MediaTypes.OCI_INDEX,
                    artifactType, manifests, annotations);
        }
        Descriptor config = r.descriptor(r.required(root, "config"), "config");
        List<Descriptor> layers = root.has("layers") ? r.descriptors(root, "layers") : List.of();
        Optional<Descriptor> subject = root.has("subject")
                ? Optional.of(r.descriptor(root.get("subject"), "subject")) : Optional.empty();
        return new ImageManifest(type != null ? type : MediaTypes.OCI_MANIFEST, artifactType, config, layers,
                annotations, subject);
    }

    /**
     * Serialises a manifest to canonical bytes (what gets hashed and pushed): compact JSON with a
     * fixed field order and sorted annotations, so equal manifests have equal digests.
     */
    public static byte[] write(Manifest manifest) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", manifest.mediaType());
        manifest.artifactType().ifPresent(t -> root.put("artifactType", t));
        if (manifest instanceof ImageManifest m) {
            root.set("config", descriptorNode(m.config()));
            ArrayNode layers = root.putArray("layers");
            m.layers().forEach(l -> layers.add(descriptorNode(l)));
        } else {
            ArrayNode manifests = root.putArray("manifests");
            ((ImageIndex) manifest).manifests().forEach(d -> manifests.add(descriptorNode(d)));
        }
        putAnnotations(root, manifest.annotations());
        if (manifest instanceof ImageManifest m) {
            m.subject().ifPresent(s -> root.set("subject", descriptorNode(s)));
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /**
     * A minimal image config for a one-layer image: platform plus the {@code rootfs} the image spec
     * requires, {@code {"architecture":..,"os":..,["variant":..,]"rootfs":{"type":"layers","diff_ids":[..]}}}.
     */
    static byte[] imageConfig(Platform platform, Digest diffId) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("architecture", platform.architecture());
        node.put("os", platform.os());
        platform.variant().ifPresent(v -> node.put("variant", v));
        ObjectNode rootfs = node.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        return MAPPER.writeValueAsBytes(node);
    }

    private static ObjectNode descriptorNode(Descriptor d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("mediaType", d.mediaType());
        d.artifactType().ifPresent(t -> node.put("artifactType", t));
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        d.platform().ifPresent(p -> {
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", p.architecture());
            platform.put("os", p.os());
            p.variant().ifPresent(v -> platform.put("variant", v));
        });
        putAnnotations(node, d.annotations());
        return node;
    }

    private static void putAnnotations(ObjectNode node, Map<String, String> annotations) {
        if (!annotations.isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            new TreeMap<>(annotations).forEach(a::put);
        }
    }

    private static String stripParameters(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String bare = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
        return bare.isEmpty() ? null : bare;
    }

    /** Field access that turns every surprise into an INTEGRITY error naming the field. */
    private record Reader(String origin) {

        String prefix() {
            return origin == null ? "malformed manifest: " : "malformed manifest from " + origin + ": ";
        }

        Qmt4jException malformed(String what) {
            return new Qmt4jException(ErrorKind.INTEGRITY, prefix() + what,
                    "the source served a manifest qmt4j cannot trust; check the reference or republish the image");
        }

        JsonNode required(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                throw malformed("missing '" + field + "'");
            }
            return node;
        }

        Optional<String> optString(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isString()) {
                throw malformed("'" + field + "' must be a string");
            }
            return Optional.of(node.stringValue());
        }

        String string(JsonNode parent, String field, String where) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                throw malformed(where + " has no " + field);
            }
            if (!node.isString()) {
                throw malformed(where + "." + field + " must be a string");
            }
            return node.stringValue();
        }

        Map<String, String> annotations(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw malformed("'" + field + "' must be an object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isString()) {
                    throw malformed("annotation '" + e.getKey() + "' must be a string");
                }
                out.put(e.getKey(), e.getValue().stringValue());
            }
            return out;
        }

        List<Descriptor> descriptors(JsonNode parent, String field) {
            JsonNode node = required(parent, field);
            if (!node.isArray()) {
                throw malformed("'" + field + "' must be an array");
            }
            List<Descriptor> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(descriptor(node.get(i), field + "[" + i + "]"));
            }
            return out;
        }

        Descriptor descriptor(JsonNode node, String where) {
            if (!node.isObject()) {
                throw malformed(where + " must be an object");
            }
            String mediaType = string(node, "mediaType", where);
            String digestText = string(node, "digest", where);
            Digest digest;
            try {
                digest = Digest.parse(digestText);
            } catch (Qmt4jException e) {
                throw malformed(where + " has an invalid digest '" + digestText + "'");
            }
            JsonNode size = node.get("size");
            if (size == null || size.isNull()) {
                throw malformed(where + " has no size");
            }
            if (!size.isIntegralNumber() || !size.canConvertToLong()) {
                throw malformed(where + ".size must be an integer, got " + size);
            }
            if (size.longValue() < 0) {
                throw malformed(where + " has a negative size " + size.longValue());
            }
            Optional<Platform> platform = Optional.empty();
            JsonNode p = node.get("platform");
            if (p != null && !p.isNull()) {
                if (!p.isObject()) {
                    throw malformed(where + ".platform must be an object");
                }
                platform = Optional.of(new Platform(string(p, "os", where + ".platform"),
                        string(p, "architecture", where + ".platform"), optString(p, "variant")));
            }
            return new Descriptor(mediaType, digest, size.longValue(), annotations(node, "annotations"), platform,
                    optString(node, "artifactType"));
        }
    }
}
