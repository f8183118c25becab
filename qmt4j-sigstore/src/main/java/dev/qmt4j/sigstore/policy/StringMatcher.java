package dev.qmt4j.sigstore.policy;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a certificate field is compared: {@link Exact} byte-for-byte equality, or {@link Regexp}
 * with cosign's semantics (Go {@code regexp.MatchString}: an unanchored search, i.e.
 * {@code Matcher.find()}, not {@code matches()}). Anchor patterns with {@code ^...$} to avoid
 * matching substrings.
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
     * An RE2-compatible regular expression, searched (unanchored). Backreferences and lookaround,
     * which RE2 lacks, are refused at construction.
     */
    record Regexp(String pattern) implements StringMatcher {
        public Regexp {
            Objects.requireNonNull(pattern, "pattern");
            if (pattern.matches(".*(\\\\[1-9]|\\(\\?<?[=!]|\\\\k<).*")) {
                throw new IllegalArgumentException("regular expression uses backreferences or lookaround, which cosign (RE2) does not support: " + pattern);
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression " + pattern + ": " + e.getDescription(), e);
            }
        }

        @Override
        public boolean test(String s) {
            return Pattern.compile(pattern).matcher(s).find();
        }

        /** True if the pattern starts with ^ and ends with $ (worth a warning otherwise). */
        public boolean isAnchored() {
            return pattern.startsWith("^") && pattern.endsWith("$");
        }

        @Override
        public String toString() {
            return "/" + pattern + "/";
        }
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
