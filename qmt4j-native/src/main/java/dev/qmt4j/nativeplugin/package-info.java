/**
 * Native provider plugins: shared libraries implementing qmt4j's C ABI ({@code qmt4j-native/include/qmt4j_plugin.h},
 * described in {@code docs/native-abi.md}), loaded with JNA by {@link dev.qmt4j.nativeplugin.NativeProvider}.
 *
 * <p><b>No sandbox.</b> A native plugin runs inside the JVM process with all of its privileges: it can
 * read files, open any connection and crash the process. The provider config's network policy
 * ({@code base_url} / {@code allowed_hosts}) is not enforced on native code. Use Wasm plugins for
 * code you do not fully trust.
 *
 * <p>QueryMT's own native plugins ({@code plugin_factory}) use a Rust trait-object ABI and cannot be
 * loaded from Java; loading one fails with {@link dev.qmt4j.nativeplugin.NativeLoadException.Reason#QUERYMT_RUST_ABI}.
 */
package dev.qmt4j.nativeplugin;
