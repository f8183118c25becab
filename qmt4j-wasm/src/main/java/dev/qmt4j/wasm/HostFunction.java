package dev.qmt4j.wasm;

import java.util.List;
import java.util.Objects;

/**
 * A function the host gives to guests, imported as {@code (import "namespace" "name" ...)}.
 *
 * <p>By Extism convention strings and bytes travel as {@link ValueType#I64} handles into Extism
 * memory: read arguments with {@link CallContext#read(long)}, return data with {@link
 * CallContext#write(byte[])}. The host does not free arguments of user functions (the guest owns
 * them). To fail the call, throw (a {@link dev.qmt4j.Qmt4jException} passes through unchanged) or
 * call {@link CallContext#setError(String)}.
 *
 * @param namespace the import module name, {@value #USER_NAMESPACE} by default
 * @param params parameter types; must equal the guest's import exactly
 * @param results result types (0 or 1 in practice)
 */
public record HostFunction(String namespace, String name, List<ValueType> params, List<ValueType> results,
        Implementation implementation) {
    /** Extism's default namespace for user host functions. */
    public static final String USER_NAMESPACE = "extism:host/user";

    public HostFunction {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        results = List.copyOf(results);
        Objects.requireNonNull(implementation, "implementation");
    }

    /** A function in {@value #USER_NAMESPACE}. */
    public static HostFunction of(String name, List<ValueType> params, List<ValueType> results,
            Implementation implementation) {
        return new HostFunction(USER_NAMESPACE, name, params, results, implementation);
    }

    /** The same function in another namespace. */
    public HostFunction inNamespace(String ns) {
        return new HostFunction(ns, name, params, results, implementation);
    }

    /** The Java body of a host function. */
    @FunctionalInterface
    public interface Implementation {
        /**
         * @param ctx the calling plugin instance's Extism memory and call state; valid only during this call
         * @param args the wasm arguments (i32 as int-in-long, f32/f64 as raw bits)
         * @return the results, or {@code null}/empty when the function has none
         */
        long[] apply(CallContext ctx, long[] args);
    }
}
