package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefParserTest {
    private static final String SHA = "sha256:" + "ab".repeat(32);
    private static final String SHA512 = "sha512:" + "cd".repeat(64);

    private static RegistryRef reg(String text) {
        return assertInstanceOf(RegistryRef.class, ImageRef.parse(text));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ubuntu,                          oci://docker.io/library/ubuntu:latest",
            "oci://ubuntu:22.04,              oci://docker.io/library/ubuntu:22.04",
            "org/plugin,                      oci://docker.io/org/plugin:latest",
            "docker.io/plugin,                oci://docker.io/library/plugin:latest",
            "index.docker.io/org/plugin:1,    oci://docker.io/org/plugin:1",
            "ghcr.io/a/b,                     oci://ghcr.io/a/b:latest",
            "oci://ghcr.io/a/b:latest,        oci://ghcr.io/a/b:latest",
            "GHCR.IO/a/b:v1,                  oci://ghcr.io/a/b:v1",
            "localhost/plugin,                oci://localhost/plugin:latest",
            "localhost:5000/plugin:dev,       oci://localhost:5000/plugin:dev",
            "127.0.0.1:5000/a/b/c:1.0,        oci://127.0.0.1:5000/a/b/c:1.0",
            "[::1]:5000/plugin:x,             oci://[::1]:5000/plugin:x",
            "localhost:5000,                  oci://docker.io/library/localhost:5000",
            "ghcr.io/a/b.c_d__e-f--g:T_a.g-1, oci://ghcr.io/a/b.c_d__e-f--g:T_a.g-1",
    })
    void canonicalForms(String input, String canonical) {
        assertEquals(canonical, ImageRef.parse(input).canonical());
    }

    @Test
    void dockerHubRules() {
        RegistryRef ref = reg("ubuntu");
        assertEquals("docker.io", ref.registry());
        assertEquals("library/ubuntu", ref.repository());
        assertEquals("registry-1.docker.io", ref.apiHost());
        assertEquals(Optional.of("latest"), ref.tag());
    }

    @Test
    void portAndIpv6StayInRegistry() {
        assertEquals("localhost:5000", reg("localhost:5000/a/b").registry());
        RegistryRef v6 = reg("oci://[::1]:5000/org/p@" + SHA);
        assertEquals("[::1]:5000", v6.registry());
        assertEquals("org/p", v6.repository());
        assertEquals(Optional.empty(), v6.tag());
    }

    @Test
    void digestsAndTagTogether() {
        RegistryRef onlyDigest = reg("ghcr.io/a/b@" + SHA);
        assertEquals(Optional.empty(), onlyDigest.tag());
        assertEquals(Digest.parse(SHA), onlyDigest.digest().orElseThrow());
        assertEquals(SHA, onlyDigest.tagOrDigest());

        RegistryRef both = reg("ghcr.io/a/b:1.2@" + SHA512);
        assertEquals(Optional.of("1.2"), both.tag());
        assertEquals("sha512", both.digest().orElseThrow().algorithm());
        assertEquals("oci://ghcr.io/a/b:1.2@" + SHA512, both.canonical());
    }

    @Test
    void tagDefaultMakesOneCacheKey() {
        assertEquals(ImageRef.parse("ghcr.io/a/b"), ImageRef.parse("oci://ghcr.io/a/b:latest"));
    }

    @Test
    void uppercaseRepositoryIsPointedAt() {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ImageRef.parse("ghcr.io/Org/x"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid reference 'ghcr.io/Org/x': repository path 'Org/x' must be lowercase"),
                e.getMessage());
        String[] lines = e.getMessage().split("\\R");
        assertEquals("  ghcr.io/Org/x", lines[1]);
        assertEquals("          ^", lines[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "oci://", "ghcr.io/a/b:", "ghcr.io/a/b:-x", "ghcr.io/a//b", "ghcr.io/a/b-",
            "ghcr.io/a/b@sha256:abc", "ghcr.io/a/b@md5:" + "00000000000000000000000000000000", "http://ghcr.io/a",
            "ghcr.io:port/a", "-bad.io/a", "a b"})
    void invalidReferencesAreUsageErrors(String input) {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ImageRef.parse(input));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid reference"), e.getMessage());
    }

    @Test
    void tagLongerThan128IsRejected() {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ImageRef.parse("ghcr.io/a/b:" + "t".repeat(129)));
        assertTrue(e.getMessage().contains("tag '"), e.getMessage());
    }

    @Test
    void nameLongerThan255IsRejected() {
        String longName = "ghcr.io/" + "a".repeat(250);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ImageRef.parse(longName));
        assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
    }

    @Test
    void layoutReferences(@org.junit.jupiter.api.io.TempDir Path dir) {
        LayoutRef plain = assertInstanceOf(LayoutRef.class, ImageRef.parse("oci-layout://" + dir));
        assertEquals(dir.toAbsolutePath().normalize(), plain.directory());
        assertEquals(Optional.empty(), plain.tag());

        LayoutRef tagged = assertInstanceOf(LayoutRef.class, ImageRef.parse("oci-layout://" + dir + "/x/../y:v1.0"));
        assertEquals(dir.resolve("y"), tagged.directory());
        assertEquals(Optional.of("v1.0"), tagged.tag());

        LayoutRef pinned = assertInstanceOf(LayoutRef.class, ImageRef.parse("oci-layout://" + dir + "@" + SHA));
        assertEquals(Digest.parse(SHA), pinned.digest().orElseThrow());
        assertEquals(pinned, ImageRef.parse(pinned.canonical()));
    }

    @Test
    void layoutDirectoryMayContainAt() {
        LayoutRef ref = assertInstanceOf(LayoutRef.class, ImageRef.parse("oci-layout:///srv/user@host/plugins:v2"));
        assertEquals(Path.of("/srv/user@host/plugins").toAbsolutePath(), ref.directory());
        assertEquals(Optional.of("v2"), ref.tag());
        Qmt4jException bad = assertThrows(Qmt4jException.class, () -> ImageRef.parse("oci-layout:///srv/x@sha256:123"));
        assertEquals(ErrorKind.USAGE, bad.kind());
    }

    @Test
    void layoutColonFollowedBySlashIsPartOfDirectory() {
        LayoutRef ref = assertInstanceOf(LayoutRef.class, ImageRef.parse("oci-layout://rel/a:b/c"));
        assertEquals(Path.of("rel/a:b/c").toAbsolutePath().normalize(), ref.directory());
        assertEquals(Optional.empty(), ref.tag());
    }
}
