package dev.qmt4j.oci.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code WWW-Authenticate} values (RFC 7235 section 4.1): several challenges in one header,
 * separated by commas; parameters as {@code token=token} or {@code token="quoted string"} with
 * backslash escapes; commas inside quotes belong to the value. A {@code token68} after the scheme is
 * kept under the parameter name {@code ""}. Malformed input never throws: what can be read is kept.
 */
public final class ChallengeParser {
    private ChallengeParser() {}

    /** Parses every challenge in every given header value, in order. */
    public static List<Challenge> parseAll(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String h : headerValues) {
            out.addAll(parse(h));
        }
        return out;
    }

    /** Parses one header value. */
    public static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Cursor c = new Cursor(header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            c.skipSpaceAndCommas();
            if (c.atEnd()) {
                break;
            }
            String token = c.token();
            if (token.isEmpty()) {
                c.pos++; // not a token character: skip it rather than loop forever
                continue;
            }
            c.skipSpace();
            if (scheme != null && c.peek() == '=' && !c.isToken68Tail()) {
                c.pos++;
                c.skipSpace();
                String value = c.peek() == '"' ? c.quoted() : c.token();
                params.put(token.toLowerCase(Locale.ROOT), value);
                continue;
            }
            // A token not followed by '=' starts a new challenge.
            if (scheme != null) {
                challenges.add(new Challenge(scheme, params));
            }
            scheme = token;
            params = new LinkedHashMap<>();
            c.skipSpace();
            if (!c.atEnd() && c.peek() != ',' && token68Follows(header, c.pos) && !c.looksLikeParam()) {
                params.put("", c.token68());
            }
        }
        if (scheme != null) {
            challenges.add(new Challenge(scheme, params));
        }
        return challenges;
    }

    private static boolean token68Follows(String s, int from) {
        int i = from;
        while (i < s.length() && isToken68Char(s.charAt(i))) {
            i++;
        }
        while (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        int j = i;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
        }
        return i > from && (j == s.length() || s.charAt(j) == ',');
    }

    private static boolean isToken68Char(char ch) {
        return Character.isLetterOrDigit(ch) && ch < 128 || "-._~+/".indexOf(ch) >= 0;
    }

    private static boolean isTokenChar(char ch) {
        return ch > 32 && ch < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(ch) < 0;
    }

    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        void skipSpace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        void skipSpaceAndCommas() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String token68() {
            int start = pos;
            while (!atEnd() && isToken68Char(peek())) {
                pos++;
            }
            while (!atEnd() && peek() == '=') {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** After '=' at pos: true if only '='s and then a comma/end follow, i.e. token68 padding. */
        boolean isToken68Tail() {
            int i = pos;
            while (i < s.length() && s.charAt(i) == '=') {
                i++;
            }
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i == s.length() || s.charAt(i) == ',';
        }

        /** True if a {@code name=} parameter starts at pos. */
        boolean looksLikeParam() {
            int i = pos;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i > pos && i < s.length() && s.charAt(i) == '=' && !new Cursor(s).at(i).isToken68Tail();
        }

        Cursor at(int p) {
            pos = p;
            return this;
        }

        String quoted() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (!atEnd()) {
                char ch = s.charAt(pos++);
                if (ch == '\\' && !atEnd()) {
                    out.append(s.charAt(pos++));
                } else if (ch == '"') {
                    return out.toString();
                } else {
                    out.append(ch);
                }
            }
            return out.toString(); // unterminated: keep what we have
        }
    }
}
