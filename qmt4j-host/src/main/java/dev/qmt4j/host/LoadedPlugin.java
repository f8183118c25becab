package dev.qmt4j.host;

import dev.qmt4j.provider.ProviderPlugin;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a provider, reference-counted so that a hot swap never closes a plugin
 * under a running call: the registry holds one reference, each call another; {@link #retire()}
 * drops the registry's, and the plugin is closed when the count reaches zero.
 */
final class LoadedPlugin {
    private final ProviderPlugin plugin;
    private final LoadResult.Loaded info;
    private final java.nio.file.Path file;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();

    LoadedPlugin(ProviderPlugin plugin, LoadResult.Loaded info, java.nio.file.Path file) {
        this.plugin = plugin;
        this.info = info;
        this.file = file;
    }

    /** The plugin file this version was loaded from, or null if unknown. */
    java.nio.file.Path file() {
        return file;
    }

    ProviderPlugin plugin() {
        return plugin;
    }

    LoadResult.Loaded info() {
        return info;
    }

    /**
     * Takes a reference for a new call; false once this version is retired (the caller then retries
     * and finds the new version, which is installed before the old one is retired).
     */
    boolean tryAcquire() {
        if (retired.get()) {
            return false;
        }
        while (true) {
            int n = refs.get();
            if (n == 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                if (retired.get()) {
                    release();
                    return false;
                }
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            plugin.close();
        }
    }

    /** Drops the registry's reference (once). */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** Whether the plugin has been closed. */
    boolean closed() {
        return refs.get() == 0;
    }
}
