package dev.qmt4j.sigstore;

import dev.qmt4j.config.ConfigFile;
import dev.qmt4j.config.VerifyPolicySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Policy settings for tests, read the one way qmt4j reads them: the keys are written as the {@code [oci]} table
 * of a JSON config file and loaded by qmt4j-config (so paths in tests are absolute).
 */
final class VerifyBlocks {
    private VerifyBlocks() {}

    /** {@code block} (strings, booleans, a table of strings for {@code annotations}) as {@code [oci]} settings. */
    static VerifyPolicySettings settings(Map<String, ?> block) {
        try {
            Path file = Files.createTempFile("qmt4j-verify-", ".json");
            try {
                Files.writeString(file, "{\"oci\": " + json(block) + "}", StandardCharsets.UTF_8);
                return ConfigFile.load(file, true).oci().verify();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object v) {
        if (v == null || v instanceof Boolean) {
            return String.valueOf(v);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "").append(json(String.valueOf(k))).append(": ").append(json(x)));
            return sb.append('}').toString();
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toString().toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
