package dev.qmt4j.cache;

import dev.qmt4j.lock.ProcessLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An exclusive lock on one cache key, held across threads and processes (a {@link ProcessLock} on
 * the key's lock file under {@code locks/}); re-entrant for the thread that holds it.
 */
final class CacheLock implements AutoCloseable {
    private final ProcessLock lock;

    private CacheLock(ProcessLock lock) {
        this.lock = lock;
    }

    /** Blocks until the lock on {@code lockFile} is ours. */
    static CacheLock acquire(Path lockFile) {
        try {
            return new CacheLock(ProcessLock.acquire(lockFile));
        } catch (IOException e) {
            throw CacheFiles.failure("cannot lock " + lockFile, e);
        }
    }

    /** Takes the lock if nobody, in this JVM or another process, holds it. */
    static Optional<CacheLock> tryAcquire(Path lockFile) {
        return ProcessLock.tryAcquire(lockFile).map(CacheLock::new);
    }

    /**
     * Takes only the file lock on a file no other thread of this JVM competes for (a staging area's
     * own lock, or a sweep probing one), if nobody holds it; see {@link ProcessLock#tryAcquireFileOnly}.
     */
    static Optional<CacheLock> tryAcquireFile(Path lockFile, boolean create) {
        return ProcessLock.tryAcquireFileOnly(lockFile, create).map(CacheLock::new);
    }

    @Override
    public void close() {
        lock.close();
    }
}
