package dev.qmt4j.cli;

import dev.qmt4j.cache.CacheDirectory;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.OciSettings;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.host.OciConnections;
import dev.qmt4j.host.OciVerification;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.sigstore.PolicyFlags;
import dev.qmt4j.sigstore.SigstoreVerifier;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CLI's wiring: config, cache, registry client, verifier and puller, each built on first use.
 *
 * <p>The OCI side (registry client, CA certificates, sources and targets, the puller's settings) is the
 * plugin host's {@link OciConnections}, so {@code qmt4j pull} and an {@code oci://} provider read
 * {@code [oci]} the same way. The registry client is created only when a registry source is actually
 * opened, so a cache hit or a layout never pays for it.
 */
final class Services {
    private final CliContext context;
    private OciSettings settings;
    private PluginCache cache;
    private OciConnections connections;
    private SigstoreVerifier lastVerifier;

    Services(CliContext context) {
        this.context = context;
    }

    /** The {@code [oci]} settings of {@code --config}, or the defaults without one. */
    OciSettings settings() {
        if (settings == null) {
            settings = context.configFile == null ? OciSettings.defaults() : context.loadConfig(context.configFile).oci();
        }
        return settings;
    }

    /** The cache directory: --cache-dir, then $QMT4J_CACHE_DIR, then config cache_dir, then the platform default. */
    Path cacheDirectory() {
        return CacheDirectory.resolve(context.cacheDir, settings().cacheDir(), context.env(), System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home", ".")));
    }

    /** Whether the cache and trust-root directories are checked: QMT4J_CACHE_PERMISSIONS_CHECK, else [oci] cache_permissions_check. */
    boolean checkPermissions() {
        return dev.qmt4j.files.CachePermissions.enabled(context.env(), settings().cachePermissionsCheck());
    }

    PluginCache cache() {
        if (cache == null) {
            cache = PluginCache.open(cacheDirectory(), checkPermissions());
        }
        return cache;
    }

    /** The OCI wiring over {@code [oci]}, the CLI's environment and the user's home (for ~/.docker). */
    OciConnections connections() {
        if (connections == null) {
            connections = new OciConnections(settings(), context.env(), Path.of(System.getProperty("user.home", ".")));
        }
        return connections;
    }

    /**
     * Opens a source for {@code ref}. Layouts are opened directly, so neither they nor a cache hit
     * (which opens nothing) ever load the HTTP client.
     */
    ImageSource source(ImageRef ref) {
        return connections().source(ref);
    }

    /** A source for reading what is about to be rewritten ({@code sign}): the registry itself, never a mirror. */
    ImageSource sourceForWrite(ImageRef ref) {
        return connections().sourceForWrite(ref);
    }

    ImageTarget target(ImageRef ref) {
        return connections().target(ref);
    }

    /** Whether signature checks are skipped: by the flag or by {@code insecure_skip_signature}. */
    boolean skipSignature(boolean flag) {
        return flag || settings().insecureSkipSignature();
    }

    /**
     * The Sigstore verifier: Sigstore/cosign verification under the policy of the flags, else the
     * provider's verify block, else {@code [oci]}, else the built-in ghcr.io/querymt policy, for
     * {@code flags} and the config, built by {@link OciVerification} exactly as
     * the plugin host builds it for an oci:// provider; the trust root is loaded on first use (public good
     * through TUF, state under {@code <cache>/sigstore/tuf/}; {@code QMT4J_SIGSTORE_TUF_URL} names another
     * TUF repository; manual roots from the flags or the verify block / {@code [oci]} keys).
     */
    SigstoreVerifier sigstoreVerifier(PolicyFlags flags) {
        lastVerifier = OciVerification.verifier(settings(), this::providerPolicy, flags,
                OciVerification.trustRoots(cacheDirectory(), context.env(), connections(), checkPermissions()));
        return lastVerifier;
    }

    /** A warning about the trust root the last verifier used (stale TUF cache, embedded snapshot), if any. */
    Optional<String> trustRootNotice() {
        return lastVerifier == null ? Optional.empty() : lastVerifier.trustRootNotice();
    }

    /** The verify block of the config's provider whose image is in the same repository as {@code ref}. */
    private Optional<VerifyPolicySettings> providerPolicy(ImageRef ref) {
        if (context.configFile == null) {
            return Optional.empty();
        }
        return OciVerification.providerPolicy(context.loadConfig(context.configFile).providers(), ref);
    }

    /**
     * The puller, verifying under the policy of {@code flags}; a pull skips verification when its
     * {@code PullRequest} says so (then the puller never calls the verifier).
     */
    PluginPuller puller(PolicyFlags flags) {
        return connections().puller(cache(), sigstoreVerifier(flags)).build();
    }
}
