package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.PluginType;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of the cache's own records. Written by hand through the tree model so the on-disk
 * format is explicit and independent of how the Java records evolve.
 */
final class CacheJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CacheJson() {}

    static byte[] write(RefRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("reference", r.reference());
        n.put("digest", r.digest().toString());
        n.put("mediaType", r.mediaType());
        n.put("resolvedAt", r.resolvedAt().toString());
        r.entry().ifPresent(k -> {
            n.put("layer", k.layer().toString());
            k.variant().ifPresent(v -> n.put("variant", v));
        });
        r.type().ifPresent(t -> n.put("type", t.id()));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    /** Reads a record; any malformation is an {@link IllegalArgumentException}. */
    static RefRecord readRef(byte[] bytes) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            Optional<EntryKey> entry = text(n, "layer")
                    .map(l -> new EntryKey(Digest.parse(l), text(n, "variant")));
            return new RefRecord(required(n, "reference"), Digest.parse(required(n, "digest")),
                    text(n, "mediaType").orElse(null), Instant.parse(required(n, "resolvedAt")), entry,
                    text(n, "type").map(CacheJson::pluginType));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed reference record: " + e.getMessage(), e);
        }
    }

    static byte[] write(EntryContents c) {
        return write(c, Map.of());
    }

    /** {@code entry.json}: the contents, and the stamps of the files as they were when last verified. */
    static byte[] write(EntryContents c, Map<String, FileStamp> stamps) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", c.type().id());
        n.put("layer", c.layer().toString());
        n.put("pluginFile", c.pluginFile());
        n.put("size", c.size());
        ObjectNode files = n.putObject("files");
        c.files().forEach(files::put);
        ObjectNode links = n.putObject("links");
        c.links().forEach(links::put);
        if (!stamps.isEmpty()) {
            ObjectNode s = n.putObject("stamps");
            new TreeMap<>(stamps).forEach((path, st) -> {
                ObjectNode o = s.putObject(path);
                o.put("size", st.size());
                o.put("mtime", st.mtime());
                o.put("ctime", st.ctime());
                o.put("key", st.key());
            });
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    static EntryContents readEntry(byte[] bytes) {
        return readStored(bytes).contents();
    }

    /** An {@code entry.json} with its stamps; stamps that are malformed are dropped (the file is re-hashed). */
    static Stored readStored(byte[] bytes) {
        JsonNode n;
        EntryContents contents;
        try {
            n = MAPPER.readTree(bytes);
            contents = new EntryContents(pluginType(required(n, "type")), Digest.parse(required(n, "layer")),
                    required(n, "pluginFile"), map(n.path("files")), map(n.path("links")), n.path("size").asLong());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed entry.json: " + e.getMessage(), e);
        }
        Map<String, FileStamp> stamps = new HashMap<>();
        JsonNode s = n.path("stamps");
        if (s.isObject()) {
            s.properties().forEach(e -> {
                JsonNode o = e.getValue();
                if (o.path("size").isIntegralNumber() && o.path("mtime").isIntegralNumber()
                        && o.path("ctime").isIntegralNumber() && o.path("key").isString()) {
                    stamps.put(e.getKey(), new FileStamp(o.get("size").asLong(), o.get("mtime").asLong(),
                            o.get("ctime").asLong(), o.get("key").asString()));
                }
            });
        }
        return new Stored(contents, stamps);
    }

    /** What {@code entry.json} holds. */
    record Stored(EntryContents contents, Map<String, FileStamp> stamps) {}

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        }
        return out;
    }

    private static PluginType pluginType(String id) {
        return PluginType.valueOf(id.toUpperCase(Locale.ROOT));
    }

    private static String required(JsonNode n, String field) {
        return text(n, field).orElseThrow(() -> new IllegalArgumentException("missing " + field));
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
    }
}
