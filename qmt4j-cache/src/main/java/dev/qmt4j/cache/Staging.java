package dev.qmt4j.cache;

import java.nio.file.Path;

/**
 * A private scratch directory under the cache's {@code tmp/}, on the same file system as the
 * entries so that finished work can be renamed into place atomically. It is locked while open, so
 * a sweep in another process can tell a live staging area from one left by a killed process.
 * Closing it deletes whatever was not committed.
 */
public final class Staging implements AutoCloseable {
    private final Path dir;
    private final Path lockFile;
    private final CacheLock lock;

    Staging(Path dir, Path lockFile, CacheLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The directory to write into. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            CacheFiles.deleteQuietly(dir);
        } finally {
            lock.close();
            CacheFiles.deleteQuietly(lockFile);
        }
    }
}
