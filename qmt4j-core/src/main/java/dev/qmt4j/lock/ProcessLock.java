package dev.qmt4j.lock;

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
 * An exclusive lock named by a lock file, held across the threads of this JVM and across processes:
 * the plugin cache's per-entry locks and an OCI layout's {@code index.json} lock are both this.
 *
 * <p>The cross-process part is an OS file lock. The file itself is never deleted by this class and
 * its presence means nothing: the OS drops the lock when its process dies, so a lock file left by a
 * killed process blocks nobody. OS file locks belong to the whole JVM (a second
 * {@code FileChannel.lock} on the same file from the same process throws instead of waiting), so
 * threads first queue on an in-JVM lock per lock file, and only the winner takes the file lock.
 * {@link #acquire} is re-entrant for the thread that holds the lock.
 */
public final class ProcessLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ProcessLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Blocks until the lock on {@code lockFile} (created if missing; its directory must exist) is ours.
     *
     * @throws IOException when the lock file cannot be opened or locked
     */
    public static ProcessLock acquire(Path lockFile) throws IOException {
        ReentrantLock local = IN_JVM.computeIfAbsent(key(lockFile), p -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            // Re-entered by the holder: the file lock is already ours, and asking again would throw.
            return new ProcessLock(local, null, null);
        }
        FileChannel channel = null;
        try {
            channel = open(lockFile, StandardOpenOption.CREATE);
            return new ProcessLock(local, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            throw e;
        }
    }

    /** Takes the lock on {@code lockFile} if nobody, in this JVM or another process, holds it. */
    public static Optional<ProcessLock> tryAcquire(Path lockFile) {
        ReentrantLock local = IN_JVM.computeIfAbsent(key(lockFile), p -> new ReentrantLock());
        if (!local.tryLock()) {
            return Optional.empty();
        }
        Optional<ProcessLock> lock = tryFileLock(lockFile, StandardOpenOption.CREATE, local);
        if (lock.isEmpty()) {
            local.unlock();
        }
        return lock;
    }

    /**
     * Takes only the OS file lock, for a file no other thread of this JVM competes for (a private
     * staging area's own lock, or a sweep probing one), if nobody holds it. A lock held by this JVM
     * counts as held.
     *
     * @param create {@code true}: the file must not exist yet and is created; {@code false}: it must
     *               exist (a sweep must not re-create a lock file it did not make: a new inode would
     *               be lockable even while its owner still holds the old one)
     */
    public static Optional<ProcessLock> tryAcquireFileOnly(Path lockFile, boolean create) {
        return tryFileLock(lockFile, create ? StandardOpenOption.CREATE_NEW : StandardOpenOption.WRITE, null);
    }

    /** Opens for writing; a new lock file is {@code rw-r--r--} or stricter whatever the umask (docs/verification.md). */
    private static FileChannel open(Path lockFile, StandardOpenOption mode) throws IOException {
        java.util.Set<StandardOpenOption> options = java.util.EnumSet.of(mode, StandardOpenOption.WRITE);
        if (mode != StandardOpenOption.WRITE && lockFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(lockFile, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
        }
        return FileChannel.open(lockFile, options);
    }

    private static Optional<ProcessLock> tryFileLock(Path lockFile, StandardOpenOption mode, ReentrantLock local) {
        FileChannel channel = null;
        try {
            channel = open(lockFile, mode);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new ProcessLock(local, channel, lock));
            }
        } catch (IOException | OverlappingFileLockException e) {
            // Held elsewhere, or unlockable: treat as busy.
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    /** One key per lock file however its directory is spelled, so two spellings queue on one in-JVM lock. */
    private static Path key(Path lockFile) {
        Path absolute = lockFile.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        try {
            return dir == null ? absolute : dir.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute;
        }
    }

    @Override
    public void close() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
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
