package dev.qmt4j.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What the host lets one Wasm provider reach and use: the {@code [providers.sandbox]} table of the
 * user's config, adjusted by the embedding application. It is the host's alone: never passed to the
 * plugin, never checked against its {@code config_schema}, and nothing the plugin returns (from
 * {@code from_config} or any other export) changes it. See docs/sandbox.md.
 *
 * @param allowedHosts         host globs the provider may reach ({@code *} any run incl. dots, {@code ?},
 *                             {@code [..]}; case-insensitive; no scheme or port), in addition to the
 *                             origin of the {@code base_url} the user configured
 * @param allowPrivateNetworks whether allowed hosts may resolve to loopback, private or link-local
 *                             addresses (and a local plugin default {@code base_url} is usable)
 * @param env                  names of environment variables the provider may see: each is added to the
 *                             plugin's Extism config under its own name; a plugin's {@code api_key_name}
 *                             not ending in {@code _API_KEY} is read only when listed here
 * @param timeout              longest guest call (default {@value #DEFAULT_TIMEOUT_SECONDS} s); legacy
 *                             plugins do their HTTP inside the call
 * @param maxMemoryPages       guest memory cap in 64 KiB pages (default {@value #DEFAULT_MAX_MEMORY_PAGES})
 * @param maxHttpResponseBytes cap on one HTTP response body, streamed or not (default
 *                             {@value #DEFAULT_MAX_HTTP_RESPONSE_BYTES})
 */
public record Sandbox(List<String> allowedHosts, boolean allowPrivateNetworks, List<String> env,
        Duration timeout, int maxMemoryPages, long maxHttpResponseBytes) {
    /** The default call timeout in seconds. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 300;
    /**
     * The default memory cap in 64 KiB pages (64 MiB): the Wasm host's own default
     * ({@code WasmManifest.DEFAULT_MAX_PAGES}, which a test of qmt4j-provider-wasm keeps equal).
     */
    public static final int DEFAULT_MAX_MEMORY_PAGES = 1024;
    /** The default cap on one HTTP response body (50 MiB), the Wasm host's own default as well. */
    public static final long DEFAULT_MAX_HTTP_RESPONSE_BYTES = 52_428_800L;

    public Sandbox {
        allowedHosts = List.copyOf(allowedHosts);
        env = List.copyOf(env);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (maxMemoryPages < 1 || maxMemoryPages > 65_536) throw new IllegalArgumentException("maxMemoryPages must be 1..65536");
        if (maxHttpResponseBytes <= 0) throw new IllegalArgumentException("maxHttpResponseBytes must be > 0");
    }

    /** Nothing beyond the configured {@code base_url}, no environment, default limits. */
    public static Sandbox defaults() {
        return new Sandbox(List.of(), false, List.of(), Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS),
                DEFAULT_MAX_MEMORY_PAGES, DEFAULT_MAX_HTTP_RESPONSE_BYTES);
    }

    /** This sandbox with {@code globs} added to {@link #allowedHosts}. */
    public Sandbox withAllowedHosts(Collection<String> globs) {
        List<String> all = new ArrayList<>(allowedHosts);
        all.addAll(globs);
        return new Sandbox(all, allowPrivateNetworks, env, timeout, maxMemoryPages, maxHttpResponseBytes);
    }

    /** This sandbox with {@link #allowPrivateNetworks} set to {@code allow}. */
    public Sandbox withAllowPrivateNetworks(boolean allow) {
        return new Sandbox(allowedHosts, allow, env, timeout, maxMemoryPages, maxHttpResponseBytes);
    }

    /** This sandbox with the variables {@code names} added to {@link #env}. */
    public Sandbox withEnv(Collection<String> names) {
        List<String> all = new ArrayList<>(env);
        all.addAll(names);
        return new Sandbox(allowedHosts, allowPrivateNetworks, all, timeout, maxMemoryPages, maxHttpResponseBytes);
    }

    /** This sandbox with another call timeout. */
    public Sandbox withTimeout(Duration d) {
        return new Sandbox(allowedHosts, allowPrivateNetworks, env, d, maxMemoryPages, maxHttpResponseBytes);
    }

    /** This sandbox with another memory cap. */
    public Sandbox withMaxMemoryPages(int pages) {
        return new Sandbox(allowedHosts, allowPrivateNetworks, env, timeout, pages, maxHttpResponseBytes);
    }

    /** This sandbox with another HTTP response cap. */
    public Sandbox withMaxHttpResponseBytes(long bytes) {
        return new Sandbox(allowedHosts, allowPrivateNetworks, env, timeout, maxMemoryPages, bytes);
    }

    /** Whether the plugin may read environment variable {@code name} (for {@code api_key_name}). */
    public boolean mayReadEnv(String name) {
        return name != null && (name.endsWith("_API_KEY") || env.contains(name));
    }
}
