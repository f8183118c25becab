package dev.qmt4j.oci.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Has the kernel write a blob's bytes to disk while its download goes on, so that the fsync which
 * makes a cache entry durable at commit (qmt4j-cache) finds little left to write: every
 * {@link #STEP} bytes, a {@code force(false)} of the file runs on a daemon thread, unless the last
 * one still runs. It only moves disk writes earlier; nothing relies on it, and its errors are
 * ignored (the fsync at commit reports them). Without it the whole blob was written out after the
 * last byte arrived, 0.1-0.5 s for 128 MiB on a shared disk (docs/benchmarks.md, "qmt4j pull
 * against skopeo copy", run 8).
 *
 * <p>Used by one body subscriber at a time (its callbacks are serialised); {@link #finish} waits for
 * the flush in flight, so no handle on the file outlives the body.
 */
final class EarlyWriteback {
    /** Bytes between two flushes: large enough that their number stays small, small enough to overlap. */
    static final long STEP = 16L << 20;

    private final Path file;
    private long unflushed;
    private Future<?> inFlight;

    EarlyWriteback(Path file) {
        this.file = file;
    }

    /** Counts {@code bytes} more written to the file, and starts a flush when a step is full. */
    void written(long bytes) {
        unflushed += bytes;
        if (unflushed >= STEP && (inFlight == null || inFlight.isDone())) {
            unflushed = 0;
            inFlight = Flusher.THREAD.submit(this::flush);
        }
    }

    /** Waits for the flush in flight, if any. */
    void finish() {
        Future<?> f = inFlight;
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (ExecutionException ignored) {
            // flush() catches its own errors
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush() {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (IOException | RuntimeException ignored) {
            // an optimisation only: the fsync at commit reports a disk that fails
        }
    }

    /** One daemon thread for every download, started by the first blob large enough to need it. */
    private static final class Flusher {
        static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qmt4j-writeback");
            t.setDaemon(true);
            return t;
        });
    }
}
