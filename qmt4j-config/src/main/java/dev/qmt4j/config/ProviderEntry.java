package dev.qmt4j.config;

import java.util.Map;
import java.util.Optional;

/**
 * One {@code [[providers]]} entry. {@code config} is the plugin's free-form table, kept raw for the host to
 * check against the plugin's schema; {@code verify} is the signature policy, read and typed like {@code [oci]}'s
 * (docs/verification.md).
 *
 * @param name    the provider name
 * @param path    a local file or an {@code oci://} / {@code oci-layout://} reference
 * @param config  the provider's own settings (may be empty)
 * @param verify  the provider's {@code verify} table, read as the {@code [oci]} policy keys are (file paths
 *                resolved against the config file's directory); empty without one
 * @param sha256  a pinned plugin digest, if given
 * @param file    the plugin file name to extract, if given
 * @param extras  the remaining per-provider keys (currently {@code insecure}) as written
 * @param platform the index entry to pull for an OCI provider ({@code os/arch[/variant]}, e.g.
 *                {@code wasi/wasm}) instead of this machine's, if given; checked by the config reader
 * @param sandbox  the host-owned {@code [providers.sandbox]} table (never given to the plugin)
 * @param follow   the host-owned {@code [providers.follow]} table: follow the provider's tag (docs/locking.md); empty without one
 */
public record ProviderEntry(String name, String path, Map<String, Object> config, Optional<VerifyPolicySettings> verify,
        Optional<String> sha256, Optional<String> file, Map<String, Object> extras, Optional<String> platform,
        SandboxSettings sandbox, Optional<FollowSettings> follow) {

    /** Every key a provider entry may have. */
    public static final java.util.List<String> KEYS =
            java.util.List.of("name", "path", "config", "verify", "sandbox", "follow", "sha256", "insecure", "file", "platform");

    public ProviderEntry {
        config = RawMaps.freeze(config);
        verify = verify == null ? Optional.empty() : verify;
        extras = RawMaps.freeze(extras);
        platform = platform == null ? Optional.empty() : platform;
        sandbox = sandbox == null ? SandboxSettings.none() : sandbox;
        follow = follow == null ? Optional.empty() : follow;
    }

    /** An entry without a {@code platform} key, a {@code [providers.sandbox]} or a {@code [providers.follow]} table. */
    public ProviderEntry(String name, String path, Map<String, Object> config, Optional<VerifyPolicySettings> verify,
            Optional<String> sha256, Optional<String> file, Map<String, Object> extras) {
        this(name, path, config, verify, sha256, file, extras, Optional.empty(), SandboxSettings.none(), Optional.empty());
    }

    /** Whether {@code path} names an OCI image rather than a local file. */
    public boolean isOci() {
        return path.startsWith("oci://") || path.startsWith("oci-layout://");
    }
}
