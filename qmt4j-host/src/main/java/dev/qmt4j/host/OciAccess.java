package dev.qmt4j.host;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.config.OciSettings;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.SignatureVerifier;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.pull.RefreshPolicy;
import dev.qmt4j.sigstore.PolicyFlags;
import dev.qmt4j.sigstore.TrustRoots;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pulls {@code oci://} and {@code oci-layout://} providers: one cache, the sources of {@link OciConnections}
 * (the registry client is created on first use), and per provider a Sigstore verifier whose policy is the provider's {@code verify}
 * block, else {@code [oci]}, else QueryMT's built-in policy, and the trust root that block or {@code [oci]}
 * names (TUF, manual roots, embedded snapshot): the same {@link OciVerification} wiring as {@code qmt4j pull}.
 */
final class OciAccess {
    private final PluginCache cache;
    private final OciConnections connections;
    private final OciSettings settings;
    private final Map<String, String> env;
    private final Function<ProviderEntry, SignatureVerifier> verifierOverride;
    private TrustRoots trustRoots;

    OciAccess(PluginCache cache, OciConnections connections, Map<String, String> env,
            Function<ProviderEntry, SignatureVerifier> verifierOverride) {
        this.cache = cache;
        this.connections = connections;
        this.settings = connections.settings();
        this.env = env;
        this.verifierOverride = verifierOverride;
    }

    /** @param platform the index entry to pull ({@code --platform} or the provider's {@code platform}); empty: this machine's */
    PullResult pull(ProviderEntry entry, ImageRef ref, Optional<Platform> platform, boolean force, PullListener listener) {
        SignatureVerifier verifier = verifierOverride != null ? verifierOverride.apply(entry) : sigstore(entry);
        PluginPuller.Builder b = connections.puller(cache, verifier);
        if (force) {
            b.refresh(new RefreshPolicy.Always());
        }
        PluginPuller puller = b.build();
        return puller.pull(new PullRequest(ref, platform, entry.file(), force, settings.insecureSkipSignature()), listener);
    }

    /** The digest {@code ref}'s tag points at now, by one HEAD through the configured routes (for following). */
    Optional<Digest> peek(ImageRef ref) {
        try (ImageSource s = connections.source(ref)) {
            return s.peekDigest();
        }
    }

    /**
     * The same verifier {@code qmt4j pull} builds ({@link OciVerification}): this provider's verify block,
     * else {@code [oci]}, else the built-in policy; trust root per {@code PolicyResolver.trustSource}
     * (TUF, manual PEM roots or the embedded snapshot), loaded once per registry.
     */
    private SignatureVerifier sigstore(ProviderEntry entry) {
        Optional<dev.qmt4j.config.VerifyPolicySettings> own = entry.verify();
        return OciVerification.verifier(settings, r -> own, PolicyFlags.none(), trustRoots());
    }

    private synchronized TrustRoots trustRoots() {
        if (trustRoots == null) {
            trustRoots = OciVerification.trustRoots(cache.root(), env, connections,
                    dev.qmt4j.files.CachePermissions.enabled(env, settings.cachePermissionsCheck()));
        }
        return trustRoots;
    }
}
