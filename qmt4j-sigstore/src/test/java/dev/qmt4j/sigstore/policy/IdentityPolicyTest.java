package dev.qmt4j.sigstore.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.certs.FulcioExtensions;
import dev.qmt4j.sigstore.testing.TestPki;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Identity matching with cosign semantics (docs/verification.md, "Policy"; rejection cases 43-48). */
class IdentityPolicyTest {
    static final TestPki PKI = new TestPki();
    static final String GH = "https://token.actions.githubusercontent.com";
    static final String URI = "https://github.com/querymt/querymt/.github/workflows/publish.yml@refs/tags/v1.0.0";

    static TestPki.Leaf leaf(java.util.function.Consumer<TestPki.LeafSpec> f) {
        TestPki.LeafSpec s = new TestPki.LeafSpec();
        f.accept(s);
        return PKI.leaf(s);
    }

    @Test
    void exactIdentityIssuerAndRepositoryMatch() {
        IdentityMatch m = IdentityPolicy.exact(URI, GH).withGithubWorkflowRepository("querymt/querymt").match(PKI.leaf().cert());
        assertInstanceOf(IdentityMatch.Match.class, m);
        assertEquals(URI, m.found().get().subject());
    }

    @Test
    void differentSanOrRefIsRejected() {
        IdentityMatch m = IdentityPolicy.exact(URI.replace("refs/tags/v1.0.0", "refs/heads/main"), GH).match(PKI.leaf().cert());
        IdentityMatch.Mismatch mm = assertInstanceOf(IdentityMatch.Mismatch.class, m);
        assertTrue(mm.reason().contains(URI), mm.reason());
    }

    @Test
    void emailSanMatches() {
        TestPki.Leaf l = leaf(s -> s.email = "dev@example.com");
        assertInstanceOf(IdentityMatch.Match.class, IdentityPolicy.exact("dev@example.com", GH).match(l.cert()));
    }

    @Test
    void differentIssuerIsRejected() {
        assertInstanceOf(IdentityMatch.Mismatch.class, IdentityPolicy.exact(URI, "https://accounts.google.com").match(PKI.leaf().cert()));
    }

    @Test
    void issuerFromV1OnlyOrV2OnlyIsRead() {
        TestPki.Leaf v1 = leaf(s -> s.issuerV2 = null);
        TestPki.Leaf v2 = leaf(s -> s.issuerV1 = null);
        assertInstanceOf(IdentityMatch.Match.class, IdentityPolicy.exact(URI, GH).match(v1.cert()));
        assertInstanceOf(IdentityMatch.Match.class, IdentityPolicy.exact(URI, GH).match(v2.cert()));
    }

    @Test
    void disagreeingV1AndV2IssuersAreRejected() {
        TestPki.Leaf l = leaf(s -> s.issuerV1 = "https://accounts.google.com");
        IdentityMatch.Mismatch mm = assertInstanceOf(IdentityMatch.Mismatch.class, IdentityPolicy.exact(URI, GH).match(l.cert()));
        assertTrue(mm.reason().contains("two different OIDC issuers"), mm.reason());
    }

    @Test
    void noIssuerFailsAnyIssuerConstraint() {
        TestPki.Leaf l = leaf(s -> {
            s.issuerV1 = null;
            s.issuerV2 = null;
        });
        assertInstanceOf(IdentityMatch.Mismatch.class, IdentityPolicy.of(StringMatcher.exact(URI), StringMatcher.regexp(".*")).match(l.cert()));
    }

    @Test
    void repositoryDifferentOrMissingIsRejected() {
        TestPki.Leaf fork = leaf(s -> s.rawExtensions.put(FulcioExtensions.GITHUB_WORKFLOW_REPOSITORY, "querymt/querymt-fork"));
        TestPki.Leaf none = leaf(s -> s.rawExtensions.clear());
        IdentityPolicy p = IdentityPolicy.exact(URI, GH).withGithubWorkflowRepository("querymt/querymt");
        assertInstanceOf(IdentityMatch.Mismatch.class, p.match(fork.cert()));
        IdentityMatch.Mismatch mm = assertInstanceOf(IdentityMatch.Mismatch.class, p.match(none.cert()));
        assertTrue(mm.reason().contains("missing"), mm.reason());
    }

    @Test
    void regexpIsAnUnanchoredSearchLikeGo() {
        TestPki.Leaf evil = leaf(s -> s.uri = "https://github.com/evil/querymt/querymt-fork/.github/workflows/x.yml@refs/heads/main");
        assertInstanceOf(IdentityMatch.Match.class,
                IdentityPolicy.of(StringMatcher.regexp("querymt/querymt"), StringMatcher.exact(GH)).match(evil.cert()));
        assertInstanceOf(IdentityMatch.Mismatch.class,
                IdentityPolicy.of(StringMatcher.regexp("^https://github\\.com/querymt/querymt/"), StringMatcher.exact(GH)).match(evil.cert()));
        assertInstanceOf(IdentityMatch.Match.class,
                IdentityPolicy.of(StringMatcher.regexp("^https://github\\.com/querymt/querymt/"), StringMatcher.regexp("^https://token\\.actions\\."))
                        .match(PKI.leaf().cert()));
    }

    @Test
    void regexpsRe2CannotRunAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StringMatcher.regexp("(a)\\1"));
        assertThrows(IllegalArgumentException.class, () -> StringMatcher.regexp("a(?=b)"));
        assertThrows(IllegalArgumentException.class, () -> StringMatcher.regexp("("));
    }

    @Test
    void keylessWithoutIdentityIsAConfigurationError() {
        assertThrows(NullPointerException.class, () -> new IdentityPolicy(null, StringMatcher.exact(GH), Map.of()));
        assertThrows(NullPointerException.class, () -> VerificationPolicy.keyless(null));
    }

    @Property(tries = 200)
    void exactMatchingIsPlainEquality(@ForAll @AlphaChars @StringLength(max = 20) String a, @ForAll @AlphaChars @StringLength(max = 20) String b) {
        assertEquals(a.equals(b), StringMatcher.exact(a).test(b));
        assertTrue(StringMatcher.regexp(java.util.regex.Pattern.quote(a)).test("x" + a + "y"));
    }

    @Test
    void dollarMatchesOnlyAtTheVeryEndAsInRe2() {
        StringMatcher m = StringMatcher.regexp("^https://github\\.com/querymt/querymt/\\.github/workflows/.*@refs/tags/v1\\.0\\.0$");
        String good = "https://github.com/querymt/querymt/.github/workflows/publish.yml@refs/tags/v1.0.0";
        assertTrue(m.test(good));
        // Java's $ also matches before a final line terminator; Go RE2's does not.
        for (String end : new String[] {"\n", "\r\n", "\r", "\u0085", "\u2028"}) {
            assertFalse(m.test(good + end), "identity ending in " + end.codePoints().boxed().toList());
        }
        assertFalse(StringMatcher.regexp("^a$").test("a\n"));
        assertFalse(StringMatcher.regexp("(?i)^A$").test("a\n"));
        assertTrue(StringMatcher.regexp("(?i)^A$").test("a"));
        // In multi-line mode RE2's $ matches before every \n, Java's too.
        assertTrue(StringMatcher.regexp("(?m)^a$").test("a\nb"));
        assertFalse(StringMatcher.regexp("(?m:^a$)b").test("a\nb"));
        assertFalse(StringMatcher.regexp("(?m:x)^a$").test("xa\n"));
        // $ inside a character class, or escaped, is a dollar sign.
        assertTrue(StringMatcher.regexp("^a[$]b\\$$").test("a$b$"));
        assertFalse(StringMatcher.regexp("^a[$]b\\$$").test("a$b$\n"));
        // RE2's . never matches \n (only \n ends a line), but matches \r and U+2028.
        assertTrue(StringMatcher.regexp("^a.b$").test("a\rb"));
        assertTrue(StringMatcher.regexp("^a.b$").test("a\u2028b"));
        assertFalse(StringMatcher.regexp("^a.b$").test("a\nb"));
        // Java-only \Z (end before a final terminator) is refused, RE2 has none.
        assertThrows(IllegalArgumentException.class, () -> StringMatcher.regexp("^a\\Z"));
    }

    @Test
    void issuerRegexpEndingInDollarRefusesAnIssuerWithATrailingNewline() {
        IdentityMatch m = IdentityPolicy.of(StringMatcher.regexp("^https://github\\.com/querymt/querymt/"),
                StringMatcher.regexp("^https://token\\.actions\\.githubusercontent\\.com$"))
                .match(leaf(s -> {
                    s.issuerV1 = GH + "\n";
                    s.issuerV2 = GH + "\n";
                }).cert());
        assertInstanceOf(IdentityMatch.Mismatch.class, m);
    }
}
