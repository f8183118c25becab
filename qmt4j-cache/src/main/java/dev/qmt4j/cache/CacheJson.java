package dev.qmt4j.cache;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.Signer;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The JSON form of the cache's own records. Written and read by hand with jackson-core's streaming
 * parser and generator (no databind: a cache hit reads a reference record and an {@code entry.json},
 * and setting up an object mapper costs more start-up than the rest of the hit), so the on-disk
 * format is explicit and independent of how the Java records evolve.
 *
 * <p>Reading first turns the document into plain maps, lists and scalars (like a JSON tree: unknown
 * fields are ignored, a repeated field keeps its last value, anything after the root value is an
 * error), then picks the fields; any malformation is an {@link IllegalArgumentException}.
 */
final class CacheJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Written output is indented like databind's default pretty printer, as before. */
    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };
    /** A JSON {@code null}, as a value of a parsed object. */
    private static final Object NULL = new Object();

    private CacheJson() {}

    static byte[] write(RefRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
            g.writeStartObject();
            g.writeStringProperty("reference", r.reference());
            g.writeStringProperty("digest", r.digest().toString());
            if (r.mediaType() == null) {
                g.writeNullProperty("mediaType");
            } else {
                g.writeStringProperty("mediaType", r.mediaType());
            }
            g.writeStringProperty("resolvedAt", r.resolvedAt().toString());
            if (r.entry().isPresent()) {
                EntryKey k = r.entry().get();
                g.writeStringProperty("layer", k.layer().toString());
                if (k.variant().isPresent()) {
                    g.writeStringProperty("variant", k.variant().get());
                }
            }
            if (r.type().isPresent()) {
                g.writeStringProperty("type", r.type().get().id());
            }
            if (r.selection().isPresent()) {
                Selection s = r.selection().get();
                g.writeName("selection");
                g.writeStartObject();
                g.writeStringProperty("for", s.requested().toString());
                g.writeBooleanProperty("explicit", s.explicit());
                g.writeStringProperty("type", s.type().id());
                g.writeStringProperty("manifest", s.manifest().toString());
                g.writeStringProperty("layer", s.layer().toString());
                if (s.platform().isPresent()) {
                    g.writeStringProperty("platform", s.platform().get().toString());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Reads a record; any malformation is an {@link IllegalArgumentException}. */
    static RefRecord readRef(byte[] bytes) {
        try {
            Map<String, Object> n = parseObject(bytes);
            Optional<EntryKey> entry = text(n, "layer")
                    .map(l -> new EntryKey(Digest.parse(l), text(n, "variant")));
            return new RefRecord(required(n, "reference"), Digest.parse(required(n, "digest")),
                    text(n, "mediaType").orElse(null), Instant.parse(required(n, "resolvedAt")), entry,
                    text(n, "type").map(CacheJson::pluginType), selection(n.get("selection")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed reference record: " + e.getMessage(), e);
        }
    }

    /** The recorded platform selection; one that is malformed is dropped (the next hit selects afresh). */
    private static Optional<Selection> selection(Object value) {
        if (!(value instanceof Map<?, ?> raw)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) raw;
        try {
            if (!(s.get("explicit") instanceof Boolean explicit)) {
                return Optional.empty();
            }
            return Optional.of(new Selection(Platform.parse(strictText(s, "for")), explicit,
                    pluginType(strictText(s, "type")), Digest.parse(strictText(s, "manifest")),
                    Digest.parse(strictText(s, "layer")),
                    s.containsKey("platform") ? Optional.of(Platform.parse(strictText(s, "platform"))) : Optional.empty()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A verifier's signer, beside its evidence: {@code {"kind": "key", "fingerprint": ...}} or
     * {@code {"kind": "keyless", "identity": ..., "issuer": ...}} (no {@code issuer} when the certificate has none).
     */
    static byte[] write(Signer signer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
            g.writeStartObject();
            if (signer instanceof Signer.Key k) {
                g.writeStringProperty("kind", "key");
                g.writeStringProperty("fingerprint", k.fingerprint());
            } else {
                Signer.Keyless k = (Signer.Keyless) signer;
                g.writeStringProperty("kind", "keyless");
                g.writeStringProperty("identity", k.identity());
                if (k.issuer().isPresent()) {
                    g.writeStringProperty("issuer", k.issuer().get());
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Reads what {@link #write(Signer)} wrote; any malformation (or another kind) is an {@link IllegalArgumentException}. */
    static Signer readSigner(byte[] bytes) {
        try {
            Map<String, Object> n = parseObject(bytes);
            String kind = strictText(n, "kind");
            return switch (kind) {
                case "key" -> new Signer.Key(strictText(n, "fingerprint"));
                case "keyless" -> new Signer.Keyless(strictText(n, "identity"),
                        n.containsKey("issuer") ? Optional.of(strictText(n, "issuer")) : Optional.empty());
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed signer record: " + e.getMessage(), e);
        }
    }

    static byte[] write(EntryContents c) {
        return write(c, Map.of());
    }

    /** {@code entry.json}: the contents, and the stamps of the files as they were when last verified. */
    static byte[] write(EntryContents c, Map<String, FileStamp> stamps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
            g.writeStartObject();
            g.writeStringProperty("type", c.type().id());
            g.writeStringProperty("layer", c.layer().toString());
            g.writeStringProperty("pluginFile", c.pluginFile());
            g.writeNumberProperty("size", c.size());
            writeMap(g, "files", c.files());
            writeMap(g, "links", c.links());
            if (!stamps.isEmpty()) {
                g.writeName("stamps");
                g.writeStartObject();
                for (Map.Entry<String, FileStamp> e : new TreeMap<>(stamps).entrySet()) {
                    FileStamp st = e.getValue();
                    g.writeName(e.getKey());
                    g.writeStartObject();
                    g.writeNumberProperty("size", st.size());
                    g.writeNumberProperty("mtime", st.mtime());
                    g.writeNumberProperty("ctime", st.ctime());
                    g.writeStringProperty("key", st.key());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> map) {
        g.writeName(name);
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringProperty(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** An {@code entry.json} with its stamps; stamps that are malformed are dropped (the file is re-hashed). */
    static Stored readStored(byte[] bytes) {
        Map<String, Object> n;
        EntryContents contents;
        try {
            n = parseObject(bytes);
            contents = new EntryContents(pluginType(required(n, "type")), Digest.parse(required(n, "layer")),
                    required(n, "pluginFile"), map(n.get("files")), map(n.get("links")), asLong(n.get("size")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed entry.json: " + e.getMessage(), e);
        }
        Map<String, FileStamp> stamps = new HashMap<>();
        if (n.get("stamps") instanceof Map<?, ?> s) {
            for (Map.Entry<?, ?> e : s.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> o && o.get("size") instanceof Long size
                        && o.get("mtime") instanceof Long mtime && o.get("ctime") instanceof Long ctime
                        && o.get("key") instanceof String key) {
                    stamps.put((String) e.getKey(), new FileStamp(size, mtime, ctime, key));
                }
            }
        }
        return new Stored(contents, stamps);
    }

    /** What {@code entry.json} holds. */
    record Stored(EntryContents contents, Map<String, FileStamp> stamps) {}

    // ---------------------------------------------------------------- reading

    /** The document, which must be one JSON object and nothing after it. */
    private static Map<String, Object> parseObject(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(first == null ? "empty document" : "not a JSON object");
            }
            Map<String, Object> root = readObject(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON object");
            }
            return root;
        }
    }

    /** Reads the members of an object whose START_OBJECT was just read. */
    private static Map<String, Object> readObject(JsonParser p) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            out.put(name, readValue(p, p.nextToken()));
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("unexpected " + t);
        }
        return out;
    }

    private static Object readValue(JsonParser p, JsonToken t) {
        if (t == null) {
            throw new IllegalArgumentException("unexpected end of input");
        }
        switch (t) {
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY: {
                java.util.ArrayList<Object> list = new java.util.ArrayList<>();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, v));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT, LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            default:
                throw new IllegalArgumentException("unexpected " + t);
        }
    }

    /** A scalar as text (numbers and booleans spelt out, as a JSON tree's {@code asString} does). */
    private static String asText(Object v) {
        if (v instanceof Map || v instanceof List) {
            return "";
        }
        return v.toString();
    }

    private static long asLong(Object v) {
        if (v == null || v == NULL) {
            return 0;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger b) {
            return b.longValue();
        }
        if (v instanceof Double d) {
            return d.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("size is not a number: " + s);
            }
        }
        return 0;
    }

    private static Map<String, String> map(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() == NULL) {
                    throw new IllegalArgumentException("null value for " + e.getKey());
                }
                out.put((String) e.getKey(), asText(e.getValue()));
            }
        }
        return out;
    }

    private static PluginType pluginType(String id) {
        return PluginType.valueOf(id.toUpperCase(Locale.ROOT));
    }

    private static String required(Map<String, Object> n, String field) {
        return text(n, field).orElseThrow(() -> new IllegalArgumentException("missing " + field));
    }

    private static Optional<String> text(Map<String, Object> n, String field) {
        Object v = n.get(field);
        return v == null || v == NULL ? Optional.empty() : Optional.of(asText(v));
    }

    /** A field that must be a JSON string. */
    private static String strictText(Map<String, Object> n, String field) {
        if (!(n.get(field) instanceof String s)) {
            throw new IllegalArgumentException("missing " + field);
        }
        return s;
    }
}
