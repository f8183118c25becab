package dev.qmt4j.host;

import dev.qmt4j.provider.ProviderPlugin;

/**
 * One version of a provider held for the caller: the plugin stays open, even across a hot swap,
 * until the lease is closed. Use it to run several calls (a conversation) on the same version.
 * Close it exactly once; a lease is not thread-confined but must not be used after closing.
 */
public final class ProviderLease implements AutoCloseable {
    private final LoadedPlugin loaded;
    private boolean closed;

    ProviderLease(LoadedPlugin loaded) {
        this.loaded = loaded;
    }

    /** The plugin; valid until {@link #close()}. */
    public ProviderPlugin plugin() {
        return loaded.plugin();
    }

    /** The version held (name, type, source, digest, signer). */
    public LoadResult.Loaded info() {
        return loaded.info();
    }

    /** The plugin file the version held was loaded from (in the cache for OCI and URL sources), or null if unknown. */
    public java.nio.file.Path file() {
        return loaded.file();
    }

    /** The content digest of the version held. */
    public String digest() {
        return loaded.info().digest();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            loaded.release();
        }
    }
}
