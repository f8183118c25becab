package dev.qmt4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM half of {@link ProcessLock}; the cross-process half is shown by qmt4j-oci's LayoutConcurrencyTest. */
class ProcessLockTest {
    @TempDir
    Path tmp;

    /** Whether another thread could take the lock right now (it releases it again at once). */
    private static boolean freeForAnotherThread(Path lockFile) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<ProcessLock> lock = ProcessLock.tryAcquire(lockFile);
            lock.ifPresent(ProcessLock::close);
            return lock.isPresent();
        }).join();
    }

    @Test
    void heldLockExcludesOtherThreadsUntilClosed() throws Exception {
        Path file = tmp.resolve("a.lock");
        try (ProcessLock held = ProcessLock.acquire(file)) {
            assertTrue(Files.exists(file));
            assertFalse(freeForAnotherThread(file));
        }
        assertTrue(freeForAnotherThread(file));
        assertTrue(Files.exists(file), "the lock file stays; only the OS lock matters");
    }

    @Test
    void acquireIsReentrantForTheHolder() throws Exception {
        Path file = tmp.resolve("b.lock");
        try (ProcessLock outer = ProcessLock.acquire(file)) {
            try (ProcessLock inner = ProcessLock.acquire(file)) {
                assertFalse(freeForAnotherThread(file));
            }
            assertFalse(freeForAnotherThread(file), "closing the inner hold keeps the outer one");
        }
        assertTrue(freeForAnotherThread(file));
    }

    @Test
    void twoSpellingsOfOneDirectoryShareTheLock() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        try (ProcessLock held = ProcessLock.acquire(dir.resolve("c.lock"))) {
            assertFalse(freeForAnotherThread(link.resolve("c.lock")));
            assertFalse(freeForAnotherThread(tmp.resolve("dir/../dir/c.lock")));
        }
        assertTrue(freeForAnotherThread(link.resolve("c.lock")));
    }

    @Test
    void fileOnlyLockCreatesOrRequiresTheFileAsAsked() throws Exception {
        Path file = tmp.resolve("d.lock");
        assertEquals(Optional.empty(), ProcessLock.tryAcquireFileOnly(file, false), "must not create a missing file");
        assertFalse(Files.exists(file));
        try (ProcessLock created = ProcessLock.tryAcquireFileOnly(file, true).orElseThrow()) {
            assertTrue(Files.exists(file));
            assertEquals(Optional.empty(), ProcessLock.tryAcquireFileOnly(file, true), "the file exists now");
            assertEquals(Optional.empty(), ProcessLock.tryAcquireFileOnly(file, false), "held by this JVM counts as held");
        }
        ProcessLock again = ProcessLock.tryAcquireFileOnly(file, false).orElseThrow();
        again.close();
    }
}
