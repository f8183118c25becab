package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.Qmt4jException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Generated references: the parser and canonical() agree with each other on every valid input. */
class ImageRefPropertiesTest {

    @Property
    void canonicalRoundTrips(@ForAll("references") String text) {
        ImageRef ref = ImageRef.parse(text);
        assertEquals(ref, ImageRef.parse(ref.canonical()));
    }

    @Property
    void canonicalIsIdempotent(@ForAll("references") String text) {
        String once = ImageRef.parse(text).canonical();
        assertEquals(once, ImageRef.parse(once).canonical());
    }

    @Property(tries = 2000)
    void garbageOnlyEverFailsAsQmt4jException(@ForAll("garbage") String text) {
        try {
            ImageRef.parse(text);
        } catch (Qmt4jException expected) {
            // the only failure allowed
        }
    }

    @Provide
    Arbitrary<String> references() {
        Arbitrary<String> alnum = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--");
        Arbitrary<String> component = Combinators.combine(alnum, separator.optional(), alnum)
                .as((a, sep, b) -> sep.map(s -> a + s + b).orElse(a));
        Arbitrary<String> path = component.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        Arbitrary<String> domain = Arbitraries.of("ghcr.io", "docker.io", "index.docker.io", "localhost",
                "localhost:5000", "127.0.0.1:5000", "[::1]:5000", "Quay.IO", "my-reg.example.com:443");
        Arbitrary<String> tag = Combinators.combine(
                        Arbitraries.strings().withChars("abcXYZ019_").ofLength(1),
                        Arbitraries.strings().withChars("abcXYZ019_.-").ofMaxLength(20))
                .as(String::concat);
        Arbitrary<String> digest = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(h -> "sha256:" + h),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(128).map(h -> "sha512:" + h));
        Arbitrary<String> scheme = Arbitraries.of("", "oci://");
        return Combinators.combine(scheme, domain.optional(), path, tag.optional(), digest.optional())
                .as((s, d, p, t, dg) -> s + d.map(x -> x + "/").orElse("") + p
                        + t.map(x -> ":" + x).orElse("") + dg.map(x -> "@" + x).orElse(""));
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("aZ09:/@._-[]\\ \u00e9\0").ofMaxLength(40);
        Arbitrary<String> prefix = Arbitraries.of("", "oci://", "oci-layout://", "x://");
        return Combinators.combine(prefix, noise).as(String::concat)
                .edgeCases(c -> c.add("oci-layout://@").add("oci-layout://:").add("@").add(":"));
    }

    @Property
    void tagDefaultsToLatestOnlyWithoutDigest(@ForAll("references") String text) {
        ImageRef ref = ImageRef.parse(text);
        assertTrue(ref.digest().isPresent() || ref.tag().isPresent());
        if (!text.contains(":") || text.lastIndexOf(':') < text.lastIndexOf('/')) {
            assertEquals(Optional.of("latest"), ref.tag());
        }
    }
}
