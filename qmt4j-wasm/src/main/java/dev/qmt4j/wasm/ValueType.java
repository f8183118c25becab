package dev.qmt4j.wasm;

/**
 * A WebAssembly number type, for declaring {@link HostFunction} signatures.
 *
 * <p>Extism passes handles (strings, bytes) as {@link #I64}; {@link #I32} appears for u8 values,
 * status codes and log levels.
 */
public enum ValueType {
    I32,
    I64,
    F32,
    F64
}
