package dev.qmt4j.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one cache key, held across threads and processes.
 *
 * <p>File locks belong to the whole JVM (a second {@code FileChannel.lock} on the same file from the
 * same process throws rather than waits), so threads first queue on an in-JVM lock per lock file,
 * and only the winner takes the file lock that other processes see.
 */
public final class CacheLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private CacheLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the lock on {@code lockFile} is ours. */
    static CacheLock acquire(Path lockFile) {
        ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            // Re-entered by the holder: the file lock is already ours, and asking again would throw.
            return new CacheLock(local, null, null);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new CacheLock(local, channel, channel.lock());
        } catch (IOException e) {
            closeQuietly(channel);
            local.unlock();
            throw CacheFiles.failure("cannot lock " + lockFile, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            throw e;
        }
    }

    /** Takes the lock if nobody, in this JVM or another process, holds it. */
    static Optional<CacheLock> tryAcquire(Path lockFile) {
        ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        if (!local.tryLock()) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new CacheLock(local, channel, lock));
            }
        } catch (IOException | OverlappingFileLockException e) {
            // Busy, or unlockable: treat as busy.
        }
        closeQuietly(channel);
        local.unlock();
        return Optional.empty();
    }

    /**
     * Takes only the file lock on a file no other thread of this JVM competes for (a staging area's
     * own lock, or a sweep probing one), if nobody holds it. A lock held by this JVM counts as held.
     */
    static Optional<CacheLock> tryAcquireFile(Path lockFile, boolean create) {
        FileChannel channel = null;
        try {
            // A sweep must not re-create a lock file it did not make: a new inode would be lockable
            // even while its owner still holds the old one.
            channel = create
                    ? FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    : FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new CacheLock(null, channel, lock));
            }
        } catch (IOException | OverlappingFileLockException e) {
            // Held elsewhere, or unlockable: treat as busy.
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    @Override
    public void close() {
        if (channel == null) {
            local.unlock();
            return;
        }
        try {
            fileLock.release();
        } catch (IOException e) {
            // Closing the channel below releases it anyway.
        } finally {
            closeQuietly(channel);
            if (local != null) {
                local.unlock();
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing useful to do; the OS drops the lock with the descriptor.
            }
        }
    }
}
