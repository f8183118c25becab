package dev.qmt4j.wasm;

import java.time.Duration;
import java.util.Map;

/**
 * What a {@link HostFunction} sees of the plugin instance that called it: Extism memory, the
 * manifest, the per-call host context and the remaining time. Valid only during the host
 * function's invocation, on the calling thread.
 *
 * <p>Handles are Extism memory handles ({@code 0} = null/empty), as PDKs pass them.
 */
public interface CallContext {
    /** The plugin's name, for logs and messages. */
    String pluginName();

    /** The manifest the plugin runs under (config, allowed hosts, limits). */
    WasmManifest manifest();

    /** Allocates {@code n} zeroed bytes of Extism memory; 0 for {@code n == 0}. Fails the call with "oom" past the memory budget. */
    long alloc(long n);

    /** Frees a block; unknown or already-freed handles are ignored. */
    void free(long handle);

    /** The length of the live block starting at {@code handle}, or 0. */
    long length(long handle);

    /** The bytes of block {@code handle}; empty for 0 or an unknown handle. */
    byte[] read(long handle);

    /** {@link #read} decoded as UTF-8. */
    String readString(long handle);

    /** Copies {@code bytes} into a new block and returns its handle (0 for empty data). */
    long write(byte[] bytes);

    /** {@link #write} of the UTF-8 bytes of {@code s}. */
    long writeString(String s);

    /** Registers {@code message} as the plugin's error: the call fails with it even if the guest returns 0. */
    void setError(String message);

    /** The value passed as {@code hostContext} to {@link PluginInstance#call(String, byte[], Object)}, if of type {@code type}, else null. */
    <T> T hostContext(Class<T> type);

    /** Time left before the call's timeout, or {@code null} when the call has none. Host functions that block should honour it. */
    Duration timeRemaining();

    /** The plugin instance's var store (read-only view), as {@code var_get} sees it. */
    Map<String, byte[]> vars();
}
