package dev.qmt4j.oci.layout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock on one layout's {@code index.json}, held across threads and processes for a
 * read-modify-write of the index.
 *
 * <p>The lock is an OS file lock on {@value #FILE} inside the layout. The file itself is never
 * deleted and its presence means nothing: the OS drops the lock when its process dies, so a lock
 * file left by a killed {@code qmt4j push} blocks nobody. File locks belong to the whole JVM (a second
 * {@code FileChannel.lock} on the same file from the same process throws instead of waiting), so
 * threads first queue on an in-JVM lock per layout directory.
 */
final class LayoutLock implements AutoCloseable {
    /** The lock file's name inside the layout directory. */
    static final String FILE = ".qmt4j-index.lock";

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private LayoutLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the index lock of the (existing) layout directory {@code dir} is ours. */
    static LayoutLock acquire(Path dir) throws IOException {
        ReentrantLock local = IN_JVM.computeIfAbsent(key(dir), p -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new LayoutLock(local, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** One key per directory however it is spelled, so two spellings queue on the same in-JVM lock. */
    private static Path key(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException e) {
            // Closing the channel below releases it anyway.
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // The OS drops the lock with the descriptor.
            }
            local.unlock();
        }
    }
}
