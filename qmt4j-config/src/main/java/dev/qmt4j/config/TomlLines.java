package dev.qmt4j.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of each key in a TOML file by scanning table headers and {@code key =} lines.
 *
 * <p>Only used to put line numbers into error messages, so it is deliberately simple: keys inside
 * inline tables or multi-line strings fall back to the line of their enclosing key.
 */
final class TomlLines {
    private static final Pattern ARRAY_TABLE = Pattern.compile("^\\s*\\[\\[\\s*([^\\]]+?)\\s*\\]\\]");
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*\\]");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_\\-.\"' ]+?)\\s*=");

    private TomlLines() {}

    static Map<String, Integer> index(Path file) {
        Map<String, Integer> lines = new HashMap<>();
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return lines;
        }
        Map<String, Integer> arrayCounts = new HashMap<>();
        String table = "";
        boolean inMultiline = false;
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            int quotes = count(line, "\"\"\"") + count(line, "'''");
            if (inMultiline) {
                inMultiline = quotes % 2 == 0;
                continue;
            }
            Matcher m;
            if ((m = ARRAY_TABLE.matcher(line)).find()) {
                // A nested array of tables ([[oci.registry.mirror]]) belongs to its parent's last element.
                String name = resolve(key(m.group(1)), arrayCounts);
                int n = arrayCounts.merge(name, 1, Integer::sum) - 1;
                table = name + "[" + n + "]";
                lines.putIfAbsent(name, i + 1);
                lines.put(table, i + 1);
            } else if ((m = TABLE.matcher(line)).find()) {
                table = resolve(key(m.group(1)), arrayCounts);
                lines.put(table, i + 1);
            } else if ((m = KEY.matcher(line)).find()) {
                String k = key(m.group(1));
                lines.put(table.isEmpty() ? k : table + "." + k, i + 1);
            }
            inMultiline = quotes % 2 == 1;
        }
        return lines;
    }

    /** A sub-table of an array of tables ({@code [providers.config]}) belongs to its last element. */
    private static String resolve(String name, Map<String, Integer> arrayCounts) {
        String[] parts = name.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(parts[i]);
            Integer n = i < parts.length - 1 ? arrayCounts.get(out.toString()) : null;
            if (n != null) {
                out.append('[').append(n - 1).append(']');
            }
        }
        return out.toString();
    }

    /** A dotted key with its quotes removed; dots inside quotes ({@code host."https://m.corp"}) stay in their part. */
    private static String key(String raw) {
        StringBuilder out = new StringBuilder();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    part.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '.') {
                out.append(out.length() > 0 ? "." : "").append(part.toString().strip());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        out.append(out.length() > 0 ? "." : "").append(part.toString().strip());
        return out.toString();
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
