package dev.qmt4j.provider.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/** Strict field access with serde's rules (missing Option = null, missing required = error), reporting paths. */
final class Reader {
    private Reader() {
    }

    static JsonNode object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new QmtJsonException(path, "expected an object, got " + kind(n));
        }
        return n;
    }

    static JsonNode array(JsonNode n, String path) {
        if (n == null || !n.isArray()) {
            throw new QmtJsonException(path, "expected an array, got " + kind(n));
        }
        return n;
    }

    /** A present, non-null field. */
    static JsonNode required(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (v == null || v.isNull()) {
            throw new QmtJsonException(path + "/" + name, "missing required field `" + name + "`");
        }
        return v;
    }

    /** The field, or null when missing or JSON null. */
    static JsonNode optional(JsonNode obj, String name) {
        JsonNode v = obj.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static String string(JsonNode n, String path) {
        if (n == null || !n.isString()) {
            throw new QmtJsonException(path, "expected a string, got " + kind(n));
        }
        return n.stringValue();
    }

    static String reqString(JsonNode obj, String name, String path) {
        return string(required(obj, name, path), path + "/" + name);
    }

    static String optString(JsonNode obj, String name, String path) {
        JsonNode v = optional(obj, name);
        return v == null ? null : string(v, path + "/" + name);
    }

    static boolean reqBool(JsonNode obj, String name, String path) {
        JsonNode v = required(obj, name, path);
        if (!v.isBoolean()) {
            throw new QmtJsonException(path + "/" + name, "expected a boolean, got " + kind(v));
        }
        return v.booleanValue();
    }

    static Boolean optBool(JsonNode obj, String name, String path) {
        JsonNode v = optional(obj, name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new QmtJsonException(path + "/" + name, "expected a boolean, got " + kind(v));
        }
        return v.booleanValue();
    }

    /** An unsigned integer up to {@code max}. */
    static long unsigned(JsonNode n, long max, String path) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > max) {
            throw new QmtJsonException(path, "expected an integer in 0.." + max + ", got " + kind(n) + " " + n);
        }
        return n.longValue();
    }

    static Long optUnsigned(JsonNode obj, String name, long max, String path) {
        JsonNode v = optional(obj, name);
        return v == null ? null : unsigned(v, max, path + "/" + name);
    }

    static float f32(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            throw new QmtJsonException(path, "expected a number, got " + kind(n));
        }
        return n.floatValue();
    }

    static Float optF32(JsonNode obj, String name, String path) {
        JsonNode v = optional(obj, name);
        return v == null ? null : f32(v, path + "/" + name);
    }

    /** serde's {@code Vec<u8>}: an array of integers 0..255. */
    static Bytes bytes(JsonNode n, String path) {
        array(n, path);
        byte[] out = new byte[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) unsigned(n.get(i), 255, path + "/" + i);
        }
        return Bytes.wrap(out);
    }

    static <T> List<T> list(JsonNode n, String path, BiFunction<JsonNode, String, T> element) {
        array(n, path);
        List<T> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(element.apply(n.get(i), path + "/" + i));
        }
        return out;
    }

    static String kind(JsonNode n) {
        return n == null || n.isMissingNode() ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
