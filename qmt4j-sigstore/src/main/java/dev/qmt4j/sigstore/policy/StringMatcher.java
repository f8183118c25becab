package dev.qmt4j.sigstore.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a certificate field is compared: {@link Exact} byte-for-byte equality, or {@link Regexp}
 * with cosign's semantics (Go {@code regexp.MatchString}: an unanchored search, i.e.
 * {@code Matcher.find()}, not {@code matches()}). Anchor patterns with {@code ^...$} to avoid
 * matching substrings; {@code $} then means the very end of the value, as in Go's RE2 (see
 * {@link Regexp}).
 */
public sealed interface StringMatcher {

    /** True if {@code value} satisfies this matcher. */
    boolean test(String value);

    /** Exact, case-sensitive equality. */
    record Exact(String value) implements StringMatcher {
        public Exact {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean test(String s) {
            return value.equals(s);
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /**
     * An RE2-compatible regular expression, searched (unanchored). Backreferences, lookaround and
     * {@code \\Z}, which RE2 lacks, are refused at construction.
     *
     * <p>The pattern is run with RE2's line semantics, not Java's (https://github.com/google/re2/wiki/Syntax):
     * outside multi-line mode {@code $} matches only at the very end of the value (Java's also
     * matches before a final line terminator, so {@code ^...$} would accept {@code "...\\n"}), and
     * {@code \\n} is the only line terminator (for {@code .} and for {@code $} in {@code (?m)}).
     */
    record Regexp(String pattern) implements StringMatcher {
        public Regexp {
            Objects.requireNonNull(pattern, "pattern");
            if (pattern.matches("(?s).*(\\\\[1-9]|\\(\\?<?[=!]|\\\\k<).*")) {
                throw new IllegalArgumentException("regular expression uses backreferences or lookaround, which cosign (RE2) does not support: " + pattern);
            }
            compile(pattern);
        }

        @Override
        public boolean test(String s) {
            return compile(pattern).matcher(s).find();
        }

        @Override
        public String toString() {
            return "/" + pattern + "/";
        }

        private static Pattern compile(String pattern) {
            try {
                return Pattern.compile(re2Ends(pattern), Pattern.UNIX_LINES);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression " + pattern + ": " + e.getDescription(), e);
            }
        }

        /**
         * Rewrites every {@code $} that is not escaped, not in a character class and not under the
         * {@code m} flag to {@code \\z} (end of input only), tracking {@code (?m)}, {@code (?-m)} and
         * {@code (?m:...)} per group as RE2 scopes flags.
         */
        private static String re2Ends(String p) {
            StringBuilder out = new StringBuilder(p.length() + 8);
            Deque<Boolean> groups = new ArrayDeque<>();
            boolean multiline = false;
            boolean inClass = false;
            int classStart = -1;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '\\' && i + 1 < p.length()) {
                    char n = p.charAt(i + 1);
                    if (n == 'Z') {
                        throw new IllegalArgumentException("regular expression uses \\Z, which cosign (RE2) does not support"
                                + " (use $ or \\z for the end of the value): " + p);
                    }
                    if (n == 'Q') { // \Q...\E is literal in both
                        int end = p.indexOf("\\E", i + 2);
                        end = end < 0 ? p.length() : end + 2;
                        out.append(p, i, end);
                        i = end - 1;
                        continue;
                    }
                    out.append(c).append(n);
                    i++;
                } else if (inClass) {
                    out.append(c);
                    // a ] first in the class ([]...] or [^]...]) is a literal, as in RE2
                    boolean first = i == classStart + 1 || (i == classStart + 2 && p.charAt(classStart + 1) == '^');
                    inClass = c != ']' || first;
                } else if (c == '[') {
                    inClass = true;
                    classStart = i;
                    out.append(c);
                } else if (c == '(') {
                    out.append(c);
                    groups.push(multiline);
                    if (p.startsWith("?", i + 1)) {
                        int j = i + 2;
                        while (j < p.length() && "imsU-".indexOf(p.charAt(j)) >= 0) {
                            j++;
                        }
                        if (j < p.length() && (p.charAt(j) == ')' || p.charAt(j) == ':')) {
                            String flags = p.substring(i + 2, j);
                            int minus = flags.indexOf('-');
                            boolean on = (minus < 0 ? flags : flags.substring(0, minus)).indexOf('m') >= 0;
                            boolean off = minus >= 0 && flags.indexOf('m', minus) >= 0;
                            boolean m = on || (multiline && !off);
                            if (p.charAt(j) == ')') { // (?m) applies to the rest of the enclosing group
                                groups.pop();
                            }
                            multiline = m;
                        }
                    }
                } else if (c == ')') {
                    out.append(c);
                    if (!groups.isEmpty()) {
                        multiline = groups.pop();
                    }
                } else if (c == '$' && !multiline) {
                    out.append("\\z");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }

    /**
     * {@code value} as a regular expression that matches exactly that text in both RE2 and Java:
     * each metacharacter escaped (as Go's {@code regexp.QuoteMeta}); {@code '} is written as
     * {@code \\x27} so the result fits a TOML literal string. Control characters are not handled:
     * callers refuse them first.
     */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else if (c == '\'') {
                sb.append("\\x27");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An exact matcher. */
    static StringMatcher exact(String value) {
        return new Exact(value);
    }

    /** A regexp matcher (unanchored search). */
    static StringMatcher regexp(String pattern) {
        return new Regexp(pattern);
    }
}
