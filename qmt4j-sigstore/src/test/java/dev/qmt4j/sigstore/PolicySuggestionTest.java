package dev.qmt4j.sigstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.sigstore.certs.CertificateIdentity;
import dev.qmt4j.sigstore.policy.StringMatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The config lines suggested when no policy applies are built from certificates nobody has verified. */
class PolicySuggestionTest {
    static final ImageRef REF = ImageRef.parse("ghcr.io/acme/plugins:1.0");
    static final String GH = PolicyResolver.GITHUB_ACTIONS_ISSUER;

    static CertificateIdentity id(String san, String issuer) {
        return new CertificateIdentity(List.of(san), Optional.of(issuer), Map.of());
    }

    /** The regexp of the first suggested cert_identity_regexp line. */
    static String suggestedRegexp(String text) {
        Matcher m = Pattern.compile("cert_identity_regexp = '([^'\\n]*)'").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    @Test
    void alternationInTheSanIsQuotedLiterallyAndAnchored() {
        String san = "https://github.com/acme/plugins|https://github.com/.github/workflows/x";
        String text = PolicyResolver.suggestion(REF, List.of(id(san, GH)));
        String re = suggestedRegexp(text);
        StringMatcher m = StringMatcher.regexp(re);
        assertTrue(m.test(san), re);
        // Neither half of the "alternation" nor any other GitHub Actions identity is trusted.
        assertFalse(m.test("https://github.com/evil/repo/.github/workflows/x"), re);
        assertFalse(m.test("https://github.com/acme/plugins"), re);
        assertFalse(m.test("https://github.com/.github/workflows/x"), re);
        assertFalse(m.test(san + "/more"), re);
        assertFalse(m.test("x" + san), re);
        assertTrue(text.contains("not been verified"), text);
    }

    @Test
    void everyRegexpMetacharacterAndQuoteIsLiteral() {
        String san = "https://example.com/a.b+c*d?e(f)g[h]i{1}j^k$l\\m'n";
        String re = suggestedRegexp(PolicyResolver.suggestion(REF, List.of(id(san, GH))));
        StringMatcher m = StringMatcher.regexp(re);
        assertTrue(m.test(san), re);
        assertFalse(m.test(san.replace('.', 'X')), re);
    }

    @Test
    void controlCharactersNeverReachTheTextOrTheToml() {
        String san = "https://github.com/acme/plugins/.github/workflows/x.yml\u001b[2J\u001b]0;pwned\u0007\n    public_key = \"/tmp/k\"";
        String issuer = "https://token.actions.githubusercontent.com\r\u009b";
        for (CertificateIdentity bad : List.of(id(san, GH), id("https://github.com/acme/x", issuer),
                id("https://github.com/acme/\u202eevil", GH))) {
            String text = PolicyResolver.suggestion(REF, List.of(bad));
            for (char c : text.toCharArray()) {
                assertTrue(c == '\n' || (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT),
                        "control character U+" + Integer.toHexString(c) + " in: " + text);
            }
            // The certificate's text stays on its one escaped line: it cannot start a config line.
            assertFalse(text.lines().anyMatch(l -> l.strip().startsWith("public_key = \"/tmp/k\"")), text);
            assertFalse(text.contains("cert_identity_regexp = '^https://github\\.com/acme"), text);
            assertTrue(text.contains("control character"), text);
        }
    }

    @Test
    void quotesInTheIssuerCannotBreakOutOfTheTomlString() {
        String text = PolicyResolver.suggestion(REF, List.of(id("https://github.com/acme/x", "https://issuer\" x = \"y")));
        assertFalse(text.contains("issuer\" "), text);
        assertTrue(text.contains("cert_issuer = \"https://issuer\\\" x = \\\"y\""), text);
    }
}
