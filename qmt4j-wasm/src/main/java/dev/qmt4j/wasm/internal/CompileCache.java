package dev.qmt4j.wasm.internal;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
        MachineFactoryCompiler.Builder b = MachineFactoryCompiler.builder(module)
                .withInterpreterFallback(InterpreterFallback.WARN);
        if (cacheDir != null) {
            b.withCache(new DiskCache(cacheDir.resolve("chicory-" + CHICORY_VERSION)));
        }
        Compiled c = new Compiled(module, b.compile());
        synchronized (RECENT) {
            Compiled earlier = RECENT.putIfAbsent(digest, c);
            return earlier != null ? earlier : c;
        }
    }

    /** Chicory's cache hook on a directory; each entry written atomically. */
    static final class DiskCache implements Cache {
        private final Path dir;

        DiskCache(Path dir) {
            this.dir = dir;
        }

        private Path file(String key) {
            return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".classes");
        }

        @Override
        public byte[] get(String key) throws IOException {
            try {
                byte[] b = Files.readAllBytes(file(key));
                LOG.debug("compiled classes for {} loaded from {}", key, dir);
                return b;
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        public void putIfAbsent(String key, byte[] data) throws IOException {
            Path target = file(key);
            if (Files.exists(target)) {
                return;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".classes");
            try {
                Files.write(tmp, data);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
