package dev.qmt4j.oci.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeParserTest {

    @Test
    void dockerBearerChallenge() {
        List<Challenge> c = ChallengeParser.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/x:pull,push\"");
        assertEquals(1, c.size());
        assertEquals("bearer", c.get(0).scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/x:pull,push"), c.get(0).params());
    }

    @Test
    void severalChallengesInOneHeaderWithCommasAndEscapesInsideQuotes() {
        List<Challenge> c = ChallengeParser.parse(
                "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\", please\", Basic realm=\"simple, really\"");
        assertEquals(2, c.size());
        assertEquals("newauth", c.get(0).scheme());
        assertEquals("Login to \"apps\", please", c.get(0).param("TITLE").orElseThrow());
        assertEquals("1", c.get(0).param("type").orElseThrow());
        assertEquals("basic", c.get(1).scheme());
        assertEquals("simple, really", c.get(1).param("realm").orElseThrow());
    }

    @Test
    void token68AndBareSchemes() {
        List<Challenge> c = ChallengeParser.parse("Negotiate, NTLM, Custom abc+/def==, Basic realm=x");
        assertEquals(List.of("negotiate", "ntlm", "custom", "basic"), c.stream().map(Challenge::scheme).toList());
        assertEquals("abc+/def==", c.get(2).param("").orElseThrow());
        assertEquals("x", c.get(3).param("realm").orElseThrow());
    }

    @Test
    void malformedInputDoesNotThrow() {
        assertEquals(List.of(), ChallengeParser.parse(""));
        assertEquals(List.of(), ChallengeParser.parse(null));
        List<Challenge> c = ChallengeParser.parse("Bearer realm=\"unterminated, service=x");
        assertEquals("unterminated, service=x", c.get(0).param("realm").orElseThrow());
        ChallengeParser.parse("=,=\"\",;;; Bearer ===");
    }

    @Test
    void valuesFromSeveralHeaders() {
        List<Challenge> c = ChallengeParser.parseAll(List.of("Basic realm=\"a\"", "Bearer realm=\"b\""));
        assertEquals(List.of("basic", "bearer"), c.stream().map(Challenge::scheme).toList());
    }
}
