package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a module to JVM bytecode once: in-process by module digest (a few recent modules), and
 * on disk through Chicory's own {@link Cache} hook, which stores the generated classes under the
 * module's digest. The disk layout includes the Chicory version, because generated classes are tied
 * to the runtime that made them.
 */
final class CompileCache {
    private static final Logger LOG = LoggerFactory.getLogger(CompileCache.class);
    static final String CHICORY_VERSION = "1.7.5";
    private static final int IN_PROCESS_ENTRIES = 16;

    /** A compiled module: Chicory's machine factory only accepts instances of the very module it compiled. */
    record Compiled(WasmModule module, Function<Instance, Machine> factory) {}

    private static final Map<String, Compiled> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> e) {
            return size() > IN_PROCESS_ENTRIES;
        }
    };

    private CompileCache() {}

    static Compiled compile(WasmModule module, Path cacheDir) {
        String digest = module.digest();
        synchronized (RECENT) {
            Compiled c = RECENT.get(digest);
            if (c != null) {
                return c;
            }
        }
        Compiled c = new Compiled(module, compileThroughDisk(module, cacheDir));
        synchronized (RECENT) {
            Compiled earlier = RECENT.putIfAbsent(digest, c);
            return earlier != null ? earlier : c;
        }
    }

    /**
     * Chicory's compiler with the on-disk cache: an entry that passes its checksum but that Chicory
     * cannot load (written by another build of the same version, say) is deleted and the module
     * compiled again, so a bad entry costs one compilation, never a failed load.
     */
    static Function<Instance, Machine> compileThroughDisk(WasmModule module, Path cacheDir) {
        if (cacheDir == null) {
            return compiler(module).compile();
        }
        DiskCache disk = new DiskCache(cacheDir.resolve("chicory-" + CHICORY_VERSION));
        try {
            return compiler(module).withCache(disk).compile();
        } catch (RuntimeException | LinkageError e) {
            if (!disk.discard(module.digest())) {
                throw e;
            }
            LOG.warn("compiled classes for {} in {} could not be loaded ({}); compiling again", module.digest(), disk.dir, e.toString());
            return compiler(module).withCache(disk).compile();
        }
    }

    private static MachineFactoryCompiler.Builder compiler(WasmModule module) {
        return MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.WARN);
    }

    /**
     * Chicory's cache hook on a directory. Each entry is written atomically, {@code rw-r--r--} in
     * {@code rwxr-xr-x} directories like the rest of the plugin cache (docs/verification.md), and starts
     * with a magic and the CRC-32 of what follows: a truncated, damaged or older-format entry is
     * deleted on read and the module compiled again. The checksum is against damage only: whoever can
     * write the directory could write any checksum, so it is the directory's permission check that
     * keeps other users' classes out. CRC-32, not SHA-256 (format 1): the JDK computes it natively,
     * while SHA-256 runs as interpreted bytecode in a fresh JVM, a measurable share of a one-shot
     * {@code qmt4j wasm call} (docs/benchmarks.md, "Provider start-up").
     */
    static final class DiskCache implements Cache {
        private static final byte[] MAGIC = "qmt4j-chicory-classes/2\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private static final int HASH = 4;
        private final Path dir;

        DiskCache(Path dir) {
            this.dir = dir;
        }

        Path file(String key) {
            return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".classes");
        }

        @Override
        public byte[] get(String key) throws IOException {
            Path f = file(key);
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                return null;
            }
            byte[] payload = unwrap(b);
            if (payload == null) {
                if (startsWithMagic(b)) {
                    LOG.warn("compiled classes in {} are damaged (checksum mismatch); compiling again", f);
                } else {
                    LOG.debug("compiled classes in {} are from an older qmt4j or damaged; compiling again", f);
                }
                Files.deleteIfExists(f);
                return null;
            }
            LOG.debug("compiled classes for {} loaded from {}", key, dir);
            return payload;
        }

        /** Deletes the entry of {@code key}; whether there was one. */
        boolean discard(String key) {
            try {
                return Files.deleteIfExists(file(key));
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void putIfAbsent(String key, byte[] data) throws IOException {
            Path target = file(key);
            if (Files.exists(target)) {
                return;
            }
            createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".classes", fileAttributes(dir));
            try {
                try (var out = Files.newOutputStream(tmp)) {
                    out.write(MAGIC);
                    out.write(crc32(data, 0, data.length));
                    out.write(data);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private static boolean startsWithMagic(byte[] entry) {
            return entry.length >= MAGIC.length && Arrays.equals(entry, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
        }

        /** The payload of an entry, or null when its magic or checksum is wrong. */
        private static byte[] unwrap(byte[] entry) {
            int head = MAGIC.length + HASH;
            if (entry.length < head || !startsWithMagic(entry)) {
                return null;
            }
            byte[] sum = crc32(entry, head, entry.length - head);
            if (!Arrays.equals(entry, MAGIC.length, head, sum, 0, HASH)) {
                return null;
            }
            return Arrays.copyOfRange(entry, head, entry.length);
        }

        /** The CRC-32 of the range, big-endian. */
        private static byte[] crc32(byte[] b, int off, int len) {
            CRC32 crc = new CRC32();
            crc.update(b, off, len);
            return ByteBuffer.allocate(HASH).putInt((int) crc.getValue()).array();
        }

        private static boolean posix(Path p) {
            return p.getFileSystem().supportedFileAttributeViews().contains("posix");
        }

        private static FileAttribute<?>[] fileAttributes(Path dir) {
            return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
                    : new FileAttribute<?>[0];
        }

        /** Missing directories {@code rwxr-xr-x} or stricter, whatever the umask. */
        private static void createDirectories(Path d) throws IOException {
            Files.createDirectories(d, posix(d) ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))} : new FileAttribute<?>[0]);
        }
    }
}
