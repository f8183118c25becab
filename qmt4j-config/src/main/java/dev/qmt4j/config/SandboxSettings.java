package dev.qmt4j.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A provider's {@code [providers.sandbox]} table: what the user lets a Wasm provider reach and use.
 * It belongs to the host: it is never passed to the plugin, never checked against the plugin's
 * {@code config_schema}, and nothing the plugin returns changes it (docs/sandbox.md). Unset limits
 * stay empty here; the host fills in its defaults.
 *
 * @param allowedHosts         {@code allowed_hosts}: host globs the provider may reach (no scheme or port)
 * @param allowPrivateNetworks {@code allow_private_networks}: allowed hosts may resolve to loopback/private/link-local addresses
 * @param env                  {@code env}: names of environment variables the provider may see (each added to its
 *                             Extism config under its own name; also makes a non-{@code _API_KEY} {@code api_key_name} readable)
 * @param timeout              {@code timeout}: longest guest call ({@code "300s"}, {@code "5m"} or a number of seconds)
 * @param maxMemoryPages       {@code max_memory_pages}: guest memory cap in 64 KiB pages
 * @param maxHttpResponseBytes {@code max_http_response_bytes}: cap on one HTTP response body
 */
public record SandboxSettings(List<String> allowedHosts, boolean allowPrivateNetworks, List<String> env,
        Optional<Duration> timeout, OptionalInt maxMemoryPages, OptionalLong maxHttpResponseBytes) {

    /** Every key of {@code [providers.sandbox]}. */
    public static final List<String> KEYS = List.of("allowed_hosts", "allow_private_networks", "env", "timeout",
            "max_memory_pages", "max_http_response_bytes");

    /**
     * Sandbox keys refused inside {@code [providers.config]} (they used to live there, and a plugin must
     * never see or return them). {@code env} and {@code timeout} are not in this list: plugins may
     * have config keys of those names.
     */
    public static final List<String> RESERVED_IN_CONFIG = List.of("allowed_hosts", "allow_private_networks",
            "max_memory_pages", "max_http_response_bytes");

    public SandboxSettings {
        allowedHosts = List.copyOf(allowedHosts);
        env = List.copyOf(env);
    }

    /** No table: nothing allowed beyond the configured {@code base_url}, no environment, default limits. */
    public static SandboxSettings none() {
        return new SandboxSettings(List.of(), false, List.of(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty());
    }
}
