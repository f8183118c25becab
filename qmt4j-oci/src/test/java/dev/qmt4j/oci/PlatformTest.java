package dev.qmt4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @Test
    void parsesOsArchAndVariant() {
        assertEquals(Platform.of("linux", "amd64"), Platform.parse("linux/amd64"));
        assertEquals(new Platform("linux", "arm64", Optional.of("v8")), Platform.parse("linux/arm64/v8"));
        assertEquals(Platform.of("darwin", "arm64"), Platform.parse("Mac OS X/aarch64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "linux/", "/amd64", "linux/amd64/v8/x", "linux//v8"})
    void rejectsMalformedPlatforms(String text) {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> Platform.parse(text));
        assertEquals(ErrorKind.USAGE, e.kind());
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
            "Mac OS X, x86_64, darwin/amd64",
            "macos,    aarch64, darwin/arm64",
            "Windows 11, amd64, windows/amd64",
            "Linux,    arm64,  linux/arm64",
            "Linux,    i686,   linux/386",
            "Linux,    x86,    linux/386",
            "FreeBSD,  riscv64, freebsd/riscv64",
    })
    void normalisesJvmNames(String os, String arch, String expected) {
        assertEquals(expected, Platform.of(os, arch).normalize().toString());
    }

    @Test
    void hostIsNormalised() {
        Platform host = Platform.host();
        assertEquals(host, host.normalize());
        assertFalse(host.os().isBlank());
    }

    @Test
    void arm64WithoutVariantMatchesV8() {
        Platform want = Platform.parse("linux/arm64");
        assertTrue(want.matches(Platform.parse("linux/arm64")));
        assertTrue(want.matches(Platform.parse("linux/arm64/v8")));
        assertTrue(Platform.parse("linux/arm64/v8").matches(Platform.parse("linux/arm64")));
        assertFalse(want.matches(Platform.parse("linux/arm/v7")));
    }

    @Test
    void requestedVariantMustBeEqual() {
        assertTrue(Platform.parse("linux/arm/v7").matches(Platform.parse("linux/arm/v7")));
        assertFalse(Platform.parse("linux/arm/v7").matches(Platform.parse("linux/arm/v6")));
        assertFalse(Platform.parse("linux/arm").matches(Platform.parse("linux/arm/v7")));
    }

    @Test
    void matchingNormalisesTheEntry() {
        assertTrue(Platform.parse("linux/amd64").matches(Platform.of("Linux", "x86_64")));
        assertFalse(Platform.parse("linux/amd64").matches(Platform.parse("darwin/amd64")));
    }

    @Test
    void wasiPlatforms() {
        assertTrue(Platform.WASI_WASM.isWasi());
        assertTrue(Platform.parse("wasip1/wasm").isWasi());
        assertTrue(Platform.parse("wasip2/wasm").isWasi());
        assertFalse(Platform.parse("linux/wasm").isWasi());
        assertFalse(Platform.parse("wasi/amd64").isWasi());
    }
}
