package dev.qmt4j.wasm;

/**
 * Receives the messages a guest logs with {@code log_trace} ... {@code log_error}. Only messages at
 * or above the plugin's configured {@link LogLevel} arrive here. The default sink writes to slf4j,
 * logger {@code dev.qmt4j.wasm.plugin.<plugin name>}.
 */
@FunctionalInterface
public interface LogSink {
    /**
     * Called on the thread running the guest; must not block for long.
     *
     * @param plugin the plugin's name ({@link ExtismPlugin.Builder#name(String)})
     */
    void log(LogLevel level, String plugin, String message);
}
