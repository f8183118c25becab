package dev.qmt4j.wasm.internal;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code allowed_hosts} entry, matched like Extism (Rust {@code glob}): {@code *} any run of
 * characters including dots, {@code ?} one character, {@code [abc]} / {@code [!abc]} classes; an
 * entry that is not a valid pattern is compared literally. Host names are compared in lower case
 * (Extism lower-cases the URL's host but not the pattern; lower-casing both is the lenient superset).
 */
public final class HostGlob {
    private final String literal;
    private final Pattern pattern;

    private HostGlob(String literal, Pattern pattern) {
        this.literal = literal;
        this.pattern = pattern;
    }

    public static HostGlob compile(String glob) {
        String g = glob.toLowerCase(Locale.ROOT);
        try {
            return new HostGlob(g, Pattern.compile(toRegex(g)));
        } catch (IllegalArgumentException e) {
            return new HostGlob(g, null);
        }
    }

    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1); // IPv6 literal: URL host_str has no brackets either
        }
        return pattern == null ? literal.equals(h) : pattern.matcher(h).matches();
    }

    private static String toRegex(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed class");
                    }
                    String body = g.substring(i + 1, end);
                    boolean negate = body.startsWith("!");
                    if (negate) {
                        body = body.substring(1);
                    }
                    re.append('[').append(negate ? "^" : "");
                    for (char b : body.toCharArray()) {
                        // '-' keeps its range meaning; every other non-alphanumeric is escaped for java.util.regex
                        re.append(Character.isLetterOrDigit(b) || b == '-' ? String.valueOf(b) : "\\" + b);
                    }
                    re.append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return re.toString();
    }
}
