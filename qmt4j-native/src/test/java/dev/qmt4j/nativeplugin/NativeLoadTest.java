package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.nativeplugin.NativeLoadException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Libraries that are not loadable qmt4j plugins fail with errors that say why. */
class NativeLoadTest {
    static final String QUERYMT_SENTENCE = "this is a QueryMT native plugin built against the Rust trait ABI, which cannot be loaded "
            + "from Java; rebuild it against qmt4j_plugin.h, or use the Wasm build of the provider";

    @TempDir
    Path tmp;

    @Test
    void abiVersionMismatchNamesBothVersions() {
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(NativeLibs.lib(NativeLibs.ABI_999)));
        assertEquals(Reason.ABI_MISMATCH, e.reason());
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().contains("implements qmt4j plugin ABI version 999, but this qmt4j implements ABI version 1"), e.getMessage());
        assertTrue(e.hint().contains("qmt4j_plugin.h"), e.hint());
    }

    @Test
    void queryMtRustPluginGetsTheExactExplanation() {
        Path lib = NativeLibs.lib(NativeLibs.QUERYMT_STYLE);
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(lib));
        assertEquals(Reason.QUERYMT_RUST_ABI, e.reason());
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().endsWith(": " + QUERYMT_SENTENCE), e.getMessage());
        assertTrue(e.getMessage().contains("exports plugin_factory and plugin_http_factory"), e.getMessage());
        assertTrue(e.getMessage().contains(lib.toAbsolutePath().normalize().toString()), e.getMessage());
    }

    @Test
    void aLibraryWithNeitherAbiSaysWhichSymbolsWereLookedFor() {
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(NativeLibs.lib(NativeLibs.NOT_A_PLUGIN)));
        assertEquals(Reason.NOT_A_PLUGIN, e.reason());
        for (String s : new String[] {"qmt4j_abi_version", "qmt4j_call", "qmt4j_free", "plugin_factory", "plugin_http_factory"}) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        assertTrue(e.hint().startsWith("list its exports with: nm -D"), e.hint());
    }

    @Test
    void missingFile() {
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(tmp.resolve("nope.so")));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    @Test
    void aFileTheDynamicLoaderRefuses() throws IOException {
        Path junk = Files.writeString(tmp.resolve("libjunk.so"), "not an ELF file");
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(junk));
        assertEquals(Reason.LOAD_FAILED, e.reason());
        assertEquals(ErrorKind.PLATFORM, e.kind());
        assertTrue(e.getMessage().startsWith("cannot load native plugin " + junk.toAbsolutePath()), e.getMessage());
    }

    @Test
    void aLibraryForAnotherArchitectureIsNamedAsSuch() throws IOException {
        byte[] elf = new byte[64]; // an ELF64 little-endian shared-object header for RISC-V
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, 0, elf, 0, 7);
        elf[16] = 3;
        elf[18] = (byte) 0xF3;
        Path riscv = Files.write(tmp.resolve("libriscv.so"), elf);
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeProvider.load(riscv));
        assertEquals(Reason.LOAD_FAILED, e.reason());
        assertEquals(ErrorKind.PLATFORM, e.kind());
        String host = dev.qmt4j.oci.Platform.host().architecture();
        assertTrue(e.getMessage().endsWith(": it is built for riscv64, this machine is " + host), e.getMessage());
        assertTrue(e.hint().contains("--platform wasi/wasm"), e.hint());

        // the real thing, when build.sh could cross-compile the example for linux/arm64
        Path arm = NativeLibs.dir(dev.qmt4j.oci.Platform.of("linux", "arm64")).resolve("libecho_provider.so");
        if (Files.isRegularFile(arm) && host.equals("amd64")) {
            NativeLoadException a = assertThrows(NativeLoadException.class, () -> NativeProvider.load(arm));
            assertTrue(a.getMessage().endsWith(": it is built for arm64, this machine is amd64"), a.getMessage());
        }
    }
}
