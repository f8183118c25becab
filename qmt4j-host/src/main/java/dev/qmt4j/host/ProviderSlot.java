package dev.qmt4j.host;

import dev.qmt4j.config.ProviderEntry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One configured provider: the version in service (swapped atomically by updates) and the outcome
 * of the last load attempt.
 */
final class ProviderSlot {
    private final ProviderEntry entry;
    private final AtomicReference<LoadedPlugin> current = new AtomicReference<>();
    private volatile LoadResult lastResult;

    ProviderSlot(ProviderEntry entry) {
        this.entry = entry;
    }

    ProviderEntry entry() {
        return entry;
    }

    LoadedPlugin current() {
        return current.get();
    }

    /** The outcome of the last load, or null if none was attempted. */
    LoadResult lastResult() {
        LoadedPlugin c = current.get();
        return c != null ? c.info() : lastResult;
    }

    /** Loads once: concurrent callers wait for the first; a failure is remembered and retried on the next call. */
    synchronized LoadResult ensureLoaded(Supplier<LoadedPlugin> loader) {
        LoadedPlugin c = current.get();
        if (c != null) {
            return c.info();
        }
        try {
            LoadedPlugin loaded = loader.get();
            current.set(loaded);
            lastResult = loaded.info();
        } catch (RuntimeException e) {
            lastResult = new LoadResult.Failed(entry.name(), e);
        }
        return lastResult;
    }

    /** A lease on the version in service (loading it first if needed). */
    ProviderLease lease(Supplier<LoadedPlugin> loader) {
        while (true) {
            LoadedPlugin c = current.get();
            if (c == null) {
                LoadResult r = ensureLoaded(loader);
                if (r instanceof LoadResult.Failed f) {
                    throw f.error();
                }
                continue;
            }
            if (c.tryAcquire()) {
                return new ProviderLease(c);
            }
            // retired and closed between get() and tryAcquire(): the new version is already in place
        }
    }

    /** Puts {@code next} in service; the old version closes when its last call ends. */
    synchronized void swap(LoadedPlugin next) {
        LoadedPlugin old = current.getAndSet(next);
        lastResult = next.info();
        if (old != null) {
            old.retire();
        }
    }

    synchronized void close() {
        LoadedPlugin old = current.getAndSet(null);
        if (old != null) {
            old.retire();
        }
    }
}
