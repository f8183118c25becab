package dev.qmt4j.oci;

/** How a plugin runs: in the Wasm sandbox, or as a native shared library. */
public enum PluginType {
    WASM,
    NATIVE;

    /** {@code wasm} or {@code native}, as JSON output and cache records spell it. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
