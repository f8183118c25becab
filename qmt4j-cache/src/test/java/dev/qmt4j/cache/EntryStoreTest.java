package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.oci.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-entry lock {@link PluginCache#install} takes, across threads and instances. */
class EntryStoreTest {
    @TempDir
    Path dir;

    @Test
    void lockIsReentrantForItsHolder() {
        PluginCache cache = PluginCache.open(dir);
        EntryKey key = EntryKey.of(Digest.sha256(new byte[] {3}));
        Path lockFile = dir.resolve("locks").resolve(key.lockName() + ".lock");
        try (CacheLock outer = cache.entries().lock(key)) {
            try (CacheLock inner = cache.entries().lock(key)) {
                assertFalse(tryFromAnotherThread(lockFile));
            }
            assertFalse(tryFromAnotherThread(lockFile), "still held after the inner close");
        }
        assertTrue(tryFromAnotherThread(lockFile), "released after the outer close");
    }

    private static boolean tryFromAnotherThread(Path lockFile) {
        boolean[] got = {false};
        Thread t = new Thread(() -> CacheLock.tryAcquire(lockFile).ifPresent(l -> {
            got[0] = true;
            l.close();
        }));
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return got[0];
    }

    @Test
    void lockAdmitsOneHolderAtATime() throws Exception {
        PluginCache.open(dir);
        EntryKey key = EntryKey.of(Digest.sha256(new byte[] {7}));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // A separate PluginCache per thread, as separate pulls would have.
            PluginCache own = PluginCache.open(dir);
            Thread t = new Thread(() -> {
                for (int j = 0; j < 50; j++) {
                    try (CacheLock lock = own.entries().lock(key)) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, maxInside.get());
    }

}
