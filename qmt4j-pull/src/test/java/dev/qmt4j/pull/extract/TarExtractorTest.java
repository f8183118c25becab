package dev.qmt4j.pull.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
    @TempDir
    Path dir;

    private final TarExtractor extractor = new TarExtractor(ExtractionLimits.DEFAULT);

    @Test
    void unpacksTheLibraryWithItsCompanionsAndHashesEveryFile() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.dir("./").dir("lib").file("lib/libecho.so", "ELF").file("lib/libdep.so.1", "DEP")
                    .file("README", "hi").symlink("lib/current", "libdep.so.1");
        }
        Path tree = dir.resolve("tree");

        ExtractedTree result = extractor.extract(layer, tree, Optional.empty());

        assertEquals("lib/libecho.so", result.pluginFile());
        assertEquals("ELF", Files.readString(tree.resolve("lib/libecho.so")));
        assertEquals("DEP", Files.readString(tree.resolve("lib/libdep.so.1")));
        assertEquals(Digest.sha256("ELF".getBytes(StandardCharsets.UTF_8)).hex(), result.files().get("lib/libecho.so"));
        assertEquals(Map.of("lib/current", "libdep.so.1"), result.links());
        assertEquals(3 + 3 + 2, result.size());
    }

    @Test
    void plainTarWorksTooAndConfiguredNamePicksAmongSeveral() throws IOException {
        Path layer = dir.resolve("layer.tar");
        try (Tars t = Tars.plain(layer)) {
            t.file("liba.so", "A").file("libb.so", "B");
        }
        ExtractedTree result = extractor.extract(layer, dir.resolve("tree"), Optional.of("libb.so"));
        assertEquals("libb.so", result.pluginFile());
    }

    @Test
    void severalLibrariesWithoutAConfiguredNameAreListed() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.file("liba.so", "A").file("libb.dylib", "B");
        }
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> extractor.extract(layer, dir.resolve("tree"), Optional.empty()));
        assertEquals(ErrorKind.EXTRACTION, e.kind());
        assertTrue(e.getMessage().contains("liba.so") && e.getMessage().contains("libb.dylib"), e.getMessage());
    }

    @Test
    void missingConfiguredNameListsWhatIsThere() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.file("liba.so", "A");
        }
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> extractor.extract(layer, dir.resolve("tree"), Optional.of("libz.so")));
        assertTrue(e.getMessage().contains("no file named libz.so") && e.getMessage().contains("liba.so"), e.getMessage());
    }

    @Test
    void noLibraryAtAllIsAnError() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.file("README", "x");
        }
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> extractor.extract(layer, dir.resolve("tree"), Optional.empty()));
        assertTrue(e.getMessage().contains("no shared library"), e.getMessage());
    }

    @Test
    void dotDotEntryIsRefused() throws IOException {
        assertRefused(t -> t.file("../x.so", "x"), "../x.so", "'..'");
        assertFalse(Files.exists(dir.resolve("x.so")));
    }

    @Test
    void absoluteEntryIsRefused() throws IOException {
        assertRefused(t -> t.file("/etc/x", "x"), "/etc/x", "absolute");
    }

    @Test
    void symlinkLeavingTheTreeIsRefused() throws IOException {
        assertRefused(t -> t.symlink("lib.so", "../../etc/passwd"), "lib.so", "leaves");
        assertRefused(t -> t.symlink("lib.so", "/etc/passwd"), "lib.so", "absolute");
    }

    @Test
    void chainedSymlinksLeavingTheTreeAreRefused() throws IOException {
        // a/l -> .. is the tree itself; textually a/l/a/l/../../.. stays inside, but through the
        // links it is the tree's parent.
        assertRefused(t -> t.dir("a").symlink("a/l", "..").symlink("escape", "a/l/a/l/../../../etc/passwd"),
                "escape", "leaves");
        // The escape only appears once a later link turns x/y into the tree root.
        assertRefused(t -> t.dir("x").symlink("escape", "x/y/../..").symlink("x/y", ".."), "escape", "leaves");
        // A link loop never resolves.
        assertRefused(t -> t.symlink("p", "q").symlink("q", "p"), "p", "symbolic links");
    }

    @Test
    void chainedSymlinksInsideTheTreeAreKept() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.dir("lib").file("lib/libdep.so.1", "dep").symlink("lib/libdep.so", "libdep.so.1")
                    .symlink("lib/up", "..").symlink("lib/current", "up/lib/libdep.so").file("libecho.so", "ELF");
        }
        ExtractedTree result = extractor.extract(layer, dir.resolve("tree"), Optional.empty());
        assertEquals("dep", Files.readString(dir.resolve("tree/lib/current")));
        assertEquals(3, result.links().size());
    }

    @Test
    void writingThroughAnInTreeSymlinkIsRefused() throws IOException {
        assertRefused(t -> t.dir("real").symlink("alias", "real").file("alias/lib.so", "x"), "alias/lib.so", "symbolic link");
    }

    @Test
    void hardlinkLeavingTheTreeIsRefused() throws IOException {
        assertRefused(t -> t.hardlink("lib.so", "../../etc/passwd"), "../../etc/passwd", "'..'");
        assertRefused(t -> t.hardlink("lib.so", "/etc/passwd"), "/etc/passwd", "absolute");
    }

    @Test
    void hardlinkInsideTheTreeBecomesACopy() throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.file("libreal.so.1", "ELF").hardlink("libecho.so", "libreal.so.1");
        }
        ExtractedTree result = extractor.extract(layer, dir.resolve("tree"), Optional.of("libecho.so"));
        assertEquals("ELF", Files.readString(dir.resolve("tree/libecho.so")));
        assertEquals(result.files().get("libreal.so.1"), result.files().get("libecho.so"));
    }

    @Test
    void deviceAndFifoEntriesAreRefused() throws IOException {
        assertRefused(t -> t.special("dev/null", TarConstants.LF_CHR), "dev/null", "device");
        assertRefused(t -> t.special("sda", TarConstants.LF_BLK), "sda", "device");
        assertRefused(t -> t.special("pipe", TarConstants.LF_FIFO), "pipe", "device");
    }

    @Test
    void duplicatePathIsRefused() throws IOException {
        assertRefused(t -> t.file("lib.so", "a").file("./lib.so", "b"), "./lib.so", "twice");
    }

    @Test
    void bombOverTheSizeCapIsStoppedWhileUnpacking() throws IOException {
        Path layer = dir.resolve("bomb.tgz");
        try (Tars t = Tars.gzip(layer)) {
            t.zeros("lib.so", 8L << 20);
        }
        assertTrue(Files.size(layer) < 64 * 1024, "the test archive itself is small");
        TarExtractor capped = new TarExtractor(new ExtractionLimits(1 << 20, 100));

        Qmt4jException e = assertThrows(Qmt4jException.class, () -> capped.extract(layer, dir.resolve("tree"), Optional.empty()));
        assertEquals(ErrorKind.EXTRACTION, e.kind());
        assertTrue(e.getMessage().contains("more than 1048576 bytes"), e.getMessage());
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Path layer = dir.resolve("many.tgz");
        try (Tars t = Tars.gzip(layer)) {
            for (int i = 0; i < 20; i++) {
                t.file("f" + i, "");
            }
        }
        TarExtractor capped = new TarExtractor(new ExtractionLimits(1 << 20, 10));
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> capped.extract(layer, dir.resolve("tree"), Optional.empty()));
        assertTrue(e.getMessage().contains("more than 10 entries"), e.getMessage());
    }

    @Test
    void garbageIsAnExtractionErrorNotACrash() throws IOException {
        Path layer = Files.write(dir.resolve("junk.tgz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> extractor.extract(layer, dir.resolve("tree"), Optional.empty()));
        assertEquals(ErrorKind.EXTRACTION, e.kind());
    }

    @Test
    void configuredNameMustBePlain() {
        for (String bad : new String[] {"../x.so", "a/b.so", "..", "", "c:\\x.dll"}) {
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> PluginFileNames.requirePlain(bad), bad);
            assertEquals(ErrorKind.USAGE, e.kind());
        }
        assertEquals("libx.so", PluginFileNames.requirePlain("libx.so"));
    }

    interface TarBody {
        void write(Tars t) throws IOException;
    }

    private void assertRefused(TarBody body, String entry, String why) throws IOException {
        Path layer = Files.createTempFile(dir, "layer", ".tgz");
        try (Tars t = Tars.gzip(layer)) {
            body.write(t);
        }
        Path tree = Files.createTempDirectory(dir, "tree");
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> extractor.extract(layer, tree, Optional.empty()));
        assertEquals(ErrorKind.EXTRACTION, e.kind());
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
