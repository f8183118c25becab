package dev.qmt4j.wasm;

import dev.qmt4j.wasm.internal.HostGlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a plugin is and what it may do: the module, its config and its sandbox. The Java form of an
 * Extism manifest (one module), with the reference defaults except where a default must be finite
 * for safety (memory, timeout).
 *
 * <p>Defaults: no network ({@link Builder#allowedHosts} empty), no file system, no config,
 * {@value #DEFAULT_MAX_PAGES} pages (64 MiB) for the plugin's memory (initial and grown) and Extism memory together,
 * {@value #DEFAULT_MAX_HTTP_RESPONSE_BYTES} bytes per HTTP response body, {@value
 * #DEFAULT_MAX_VAR_BYTES} bytes of vars, a 30 s timeout per call, WASI off, response headers not
 * captured.
 */
public final class WasmManifest {
    /** Default memory budget in 64 KiB pages (64 MiB). Extism's own default is unlimited. */
    public static final int DEFAULT_MAX_PAGES = 1024;
    /** Default cap on one HTTP response body: 50 MiB, as in Extism. */
    public static final long DEFAULT_MAX_HTTP_RESPONSE_BYTES = 52_428_800L;
    /** Default cap on the var store: 1 MiB, as in Extism. 0 disables {@code var_set}. */
    public static final long DEFAULT_MAX_VAR_BYTES = 1_048_576L;
    /** Default per-call timeout. Extism's own default is none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final byte[] module;
    private final List<String> allowedHosts;
    private final List<HostGlob> hostGlobs;
    private final Map<Path, String> allowedPaths;
    private final Map<String, String> config;
    private final int maxPages;
    private final long maxHttpResponseBytes;
    private final long maxVarBytes;
    private final Duration timeout;
    private final boolean wasi;
    private final boolean httpResponseHeaders;
    private final ConnectCheck connectCheck;

    /**
     * An extra check of {@code http_request} destinations, run after the {@link #allowedHosts()}
     * match and before connecting, at every redirect hop (an embedding host uses it to refuse names
     * that resolve to private addresses).
     */
    @FunctionalInterface
    public interface ConnectCheck {
        /** Returns normally to allow; throws {@link PluginSandboxException} (reason HOST) to refuse. */
        void check(URI uri);
    }

    private WasmManifest(Builder b) {
        this.module = Objects.requireNonNull(b.module, "module bytes or path are required");
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.hostGlobs = allowedHosts.stream().map(HostGlob::compile).toList();
        this.allowedPaths = Map.copyOf(b.allowedPaths);
        this.config = Map.copyOf(b.config);
        this.maxPages = b.maxPages;
        this.maxHttpResponseBytes = b.maxHttpResponseBytes;
        this.maxVarBytes = b.maxVarBytes;
        this.timeout = b.timeout;
        this.wasi = b.wasi;
        this.httpResponseHeaders = b.httpResponseHeaders;
        this.connectCheck = b.connectCheck;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this manifest's values. */
    public Builder toBuilder() {
        Builder b = new Builder().module(module).allowedHosts(allowedHosts).config(config).maxPages(maxPages)
                .maxHttpResponseBytes(maxHttpResponseBytes).maxVarBytes(maxVarBytes).timeout(timeout).wasi(wasi)
                .httpResponseHeaders(httpResponseHeaders).connectCheck(connectCheck);
        allowedPaths.forEach(b::allowedPath);
        return b;
    }

    /** The module's bytes (not copied: do not modify). */
    public byte[] module() {
        return module;
    }

    /** Host-name globs the plugin may reach with {@code http_request}; empty means no network. */
    public List<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * Whether {@code host} (a host name without port, as in a URL) matches {@link #allowedHosts()}
     * with Extism's glob rules: {@code *} matches any run of characters including dots, {@code ?} one
     * character, {@code [..]} a class; comparison is case-insensitive on the host.
     */
    public boolean hostAllowed(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        for (HostGlob g : hostGlobs) {
            if (g.matches(host)) {
                return true;
            }
        }
        return false;
    }

    /** The extra destination check for {@code http_request}; allows everything unless set. */
    public ConnectCheck connectCheck() {
        return connectCheck;
    }

    /** Host directory → guest path pre-opened for WASI. A host path prefixed {@code ro:} is read-only. */
    public Map<Path, String> allowedPaths() {
        return allowedPaths;
    }

    public Map<String, String> config() {
        return config;
    }

    public int maxPages() {
        return maxPages;
    }

    public long maxHttpResponseBytes() {
        return maxHttpResponseBytes;
    }

    public long maxVarBytes() {
        return maxVarBytes;
    }

    /** Per-call wall-clock limit; {@link Duration#ZERO} means none. */
    public Duration timeout() {
        return timeout;
    }

    public boolean wasi() {
        return wasi;
    }

    /** Whether {@code http_headers} returns the last response's headers (off by default, as in Extism). */
    public boolean httpResponseHeaders() {
        return httpResponseHeaders;
    }

    /** Builds a {@link WasmManifest}. */
    public static final class Builder {
        private byte[] module;
        private final List<String> allowedHosts = new ArrayList<>();
        private final Map<Path, String> allowedPaths = new LinkedHashMap<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private int maxPages = DEFAULT_MAX_PAGES;
        private long maxHttpResponseBytes = DEFAULT_MAX_HTTP_RESPONSE_BYTES;
        private long maxVarBytes = DEFAULT_MAX_VAR_BYTES;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean wasi;
        private boolean httpResponseHeaders;
        private ConnectCheck connectCheck = uri -> { };

        private Builder() {}

        /** The module's bytes (binary wasm). */
        public Builder module(byte[] bytes) {
            this.module = Objects.requireNonNull(bytes, "bytes");
            return this;
        }

        /** Reads the module from a file. */
        public Builder module(Path file) {
            try {
                this.module = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return this;
        }

        /** Adds host globs (see {@link WasmManifest#hostAllowed}). */
        public Builder allowedHosts(Collection<String> hosts) {
            hosts.forEach(this::allowedHost);
            return this;
        }

        public Builder allowedHost(String hostGlob) {
            allowedHosts.add(Objects.requireNonNull(hostGlob, "hostGlob"));
            return this;
        }

        /** Pre-opens {@code hostDir} as {@code guestPath} (WASI only). Prefix the host path with {@code ro:} for read-only. */
        public Builder allowedPath(Path hostDir, String guestPath) {
            allowedPaths.put(Objects.requireNonNull(hostDir, "hostDir"), Objects.requireNonNull(guestPath, "guestPath"));
            return this;
        }

        public Builder config(Map<String, String> entries) {
            entries.forEach(this::config);
            return this;
        }

        public Builder config(String key, String value) {
            config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Memory limit in 64 KiB pages for one instance: the module's initial memory, its growth and
         * Extism memory together. A module whose initial memory alone exceeds it cannot be instantiated.
         */
        public Builder maxPages(int pages) {
            if (pages < 1 || pages > 65536) {
                throw new IllegalArgumentException("maxPages must be 1..65536, was " + pages);
            }
            this.maxPages = pages;
            return this;
        }

        public Builder maxHttpResponseBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxHttpResponseBytes must be >= 0");
            }
            this.maxHttpResponseBytes = bytes;
            return this;
        }

        /** Var store cap; 0 disables {@code var_set}. */
        public Builder maxVarBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxVarBytes must be >= 0");
            }
            this.maxVarBytes = bytes;
            return this;
        }

        /** Per-call wall-clock limit; {@link Duration#ZERO} for none. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative");
            }
            this.timeout = timeout;
            return this;
        }

        /** Links WASI preview 1 (no environment, no arguments, stdio discarded, only {@link #allowedPath} dirs). */
        public Builder wasi(boolean on) {
            this.wasi = on;
            return this;
        }

        public Builder httpResponseHeaders(boolean on) {
            this.httpResponseHeaders = on;
            return this;
        }

        /** Sets the extra destination check for {@code http_request} (see {@link ConnectCheck}). */
        public Builder connectCheck(ConnectCheck check) {
            this.connectCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        public WasmManifest build() {
            return new WasmManifest(this);
        }
    }
}
