package dev.qmt4j.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.qmt4j.testkit.Wat2Wasm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk compile cache: entries are written rw-r--r-- in rwxr-xr-x directories, and a damaged
 * entry (or one Chicory cannot load) is ignored, deleted and rebuilt instead of failing the load.
 */
class CompileDiskCacheTest {
    private static final WasmModule MODULE = Parser.parse(Wat2Wasm.compile(
            "(module (func (export \"answer\") (result i32) (i32.const 42)) (func (export \"disk_cache_test\")))"));

    private static long answer(Function<Instance, Machine> factory) {
        Instance i = Instance.builder(MODULE).withMachineFactory(factory).build();
        return i.export("answer").apply()[0];
    }

    private static Path entry(Path dir) {
        return new CompileCache.DiskCache(dir.resolve("chicory-" + CompileCache.CHICORY_VERSION)).file(MODULE.digest());
    }

    @Test
    void entriesAreWrittenReadableByAllWritableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("wasm-compiled");
        assertEquals(42, answer(CompileCache.compileThroughDisk(MODULE, cache)));
        Path e = entry(cache);
        assertTrue(Files.isRegularFile(e), "entry written");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(e)));
        for (Path d : new Path[] {cache, e.getParent()}) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
            assertFalse(p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE), d + " " + p);
        }
        byte[] first = Files.readAllBytes(e);
        assertEquals(42, answer(CompileCache.compileThroughDisk(MODULE, cache)), "loaded from the entry");
        assertArrayEquals(first, Files.readAllBytes(e), "a hit leaves the entry alone");
    }

    @Test
    void aDamagedEntryIsIgnoredAndRebuilt(@TempDir Path dir) throws Exception {
        CompileCache.compileThroughDisk(MODULE, dir);
        Path e = entry(dir);
        CompileCache.DiskCache disk = new CompileCache.DiskCache(e.getParent());
        byte[] good = Files.readAllBytes(e);
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x55;
        for (byte[] bad : new byte[][] {flipped, Arrays.copyOf(good, good.length / 2), "not a jar".getBytes(StandardCharsets.UTF_8), new byte[0]}) {
            Files.write(e, bad);
            assertEquals(42, answer(CompileCache.compileThroughDisk(MODULE, dir)));
            assertTrue(disk.get(MODULE.digest()) != null, "rebuilt: a sound entry again");
        }
    }

    @Test
    void anEntryChicoryCannotLoadIsDiscardedAndRebuilt(@TempDir Path dir) throws Exception {
        CompileCache.DiskCache disk = new CompileCache.DiskCache(dir.resolve("chicory-" + CompileCache.CHICORY_VERSION));
        disk.putIfAbsent(MODULE.digest(), "a sound checksum over classes that are not there".getBytes(StandardCharsets.UTF_8));
        byte[] planted = Files.readAllBytes(entry(dir));
        assertEquals(42, answer(CompileCache.compileThroughDisk(MODULE, dir)));
        assertNotEquals(Arrays.toString(planted), Arrays.toString(Files.readAllBytes(entry(dir))), "replaced by real classes");
    }
}
