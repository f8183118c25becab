package dev.qmt4j.sigstore.trust.tuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The OLPC canonical JSON form TUF signs (securesystemslib {@code encode_canonical}): no whitespace,
 * object members sorted by name, strings escaping only {@code "} and {@code \}, integers only (no
 * floats), UTF-8. For TUF metadata (ASCII keys, no control characters, no floats) this is byte-identical
 * to the RFC 8785 form sigstore-java computes.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    /**
     * The canonical bytes of {@code node}.
     *
     * @throws IllegalArgumentException for a floating-point number (not representable in canonical JSON)
     */
    public static byte[] encode(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            List<String> names = new ArrayList<>(n.propertyNames());
            names.sort(CanonicalJson::compareCodePoints);
            sb.append('{');
            boolean first = true;
            for (String name : names) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(name, sb);
                sb.append(':');
                write(n.get(name), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isString()) {
            string(n.stringValue(), sb);
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue().toString());
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue() ? "true" : "false");
        } else if (n.isNull()) {
            sb.append("null");
        } else {
            throw new IllegalArgumentException("canonical JSON has no representation for " + n.getNodeType());
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
