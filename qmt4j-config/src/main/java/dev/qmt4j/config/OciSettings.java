package dev.qmt4j.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [oci]} table of a QueryMT-style config file.
 *
 * @param insecureSkipSignature {@code insecure_skip_signature}: pull without signature verification
 * @param insecureRegistries    {@code insecure_registries}: {@code host[:port]} entries spoken to over plain HTTP
 * @param refresh               {@code refresh}: {@code never}, {@code always} or a duration like {@code 1h}
 * @param cacheDir              {@code cache_dir}, resolved against the config file's directory
 * @param verify                the signature policy keys
 * @param caCertificates        {@code ca_certificates}: PEM files of CAs trusted in addition to the JDK's (registries,
 *                              token servers, {@code https://} plugin downloads), resolved against the config file's directory
 * @param cachePermissionsCheck {@code cache_permissions_check} (default true): refuse a cache or trust-root directory
 *                              that group or others can write or another user owns; false for a shared read-only
 *                              cache prepared by an administrator ({@code QMT4J_CACHE_PERMISSIONS_CHECK} wins)
 * @param registries            the {@code [[oci.registry]]} tables: mirrors, remaps and blocks (docs/mirrors.md)
 * @param lock                  {@code lock} and {@code lock_file}: locked mode and the lockfile (docs/locking.md)
 */
public record OciSettings(boolean insecureSkipSignature, List<String> insecureRegistries, String refresh,
        Optional<Path> cacheDir, VerifyPolicySettings verify, List<Path> caCertificates, boolean cachePermissionsCheck,
        List<RegistrySettings> registries, LockSettings lock) {

    /** The refresh interval used when the file does not say. */
    public static final String DEFAULT_REFRESH = "1h";

    /** The keys of {@code [oci]} other than the signature policy ones. */
    public static final List<String> KEYS = List.of("insecure_skip_signature", "insecure_registries", "refresh",
            "cache_dir", "ca_certificates", "cache_permissions_check", "registry", "registries_conf", "hosts_dir",
            "lock", "lock_file");

    public OciSettings {
        insecureRegistries = List.copyOf(insecureRegistries);
        caCertificates = List.copyOf(caCertificates);
        registries = List.copyOf(registries);
        lock = lock == null ? LockSettings.none() : lock;
    }

    /** The settings with no {@code [oci]} table: secure, default refresh, default cache directory. */
    public static OciSettings defaults() {
        return new OciSettings(false, List.of(), DEFAULT_REFRESH, Optional.empty(), VerifyPolicySettings.none(), List.of(),
                true, List.of(), LockSettings.none());
    }
}
