package dev.qmt4j.wasm;

/**
 * One live instance of a plugin, for stateful sequences: vars and the guest's globals persist
 * across calls on it (as in one Extism {@code Plugin}). Not thread-safe: one call at a time;
 * a concurrent or reentrant call fails. Close it when done.
 *
 * <p>After a timeout or trap the instance is rebuilt before the next call (vars are then lost).
 */
public interface PluginInstance extends AutoCloseable {
    /** Calls export {@code function} with {@code input}; returns its output. */
    default byte[] call(String function, byte[] input) {
        return call(function, input, null);
    }

    /**
     * Calls export {@code function} with {@code input}, making {@code hostContext} available to host
     * functions via {@link CallContext#hostContext(Class)}.
     *
     * @throws PluginException on any failure of the call
     */
    byte[] call(String function, byte[] input, Object hostContext);

    /** Whether the module exports {@code function} with a callable Extism signature ({@code () -> i32} or {@code () -> ()}). */
    boolean functionExists(String function);

    @Override
    void close();
}
