package dev.qmt4j.host;

import dev.qmt4j.config.OciSettings;
import dev.qmt4j.config.ProviderEntry;
import dev.qmt4j.config.VerifyPolicySettings;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.LayoutRef;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.sigstore.PolicyFlags;
import dev.qmt4j.sigstore.PolicyResolver;
import dev.qmt4j.sigstore.SigstoreVerifier;
import dev.qmt4j.sigstore.TrustRoots;
import dev.qmt4j.sigstore.trust.tuf.HttpTufFetcher;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one Sigstore wiring shared by the plugin host ({@code PluginRegistry} for {@code oci://} providers)
 * and the CLI ({@code qmt4j pull}, {@code verify}, ...), so both verify a plugin under the same policy
 * and the same trust root.
 *
 * <p>Policy: the flags, else the provider's {@code verify} block, else {@code [oci]}, else the built-in
 * ghcr.io/querymt policy ({@link PolicyResolver}). Trust root: {@link PolicyResolver#trustSource}
 * loaded through {@link TrustRoots} with TUF (state under {@code <cache>/sigstore/tuf/}, the cached root
 * with its age when a refresh fails; {@code QMT4J_SIGSTORE_TUF_URL} names another TUF repository),
 * manual roots from {@code fulcio_certs} / {@code rekor_pub_keys} / {@code ctfe_pub_keys}, or the embedded
 * snapshot with {@code use_sigstore_tuf_data = false}. The verify blocks arrive typed, their relative file paths
 * ({@code public_key} and the trust-root keys) already resolved against the config file's directory by qmt4j-config.
 */
public final class OciVerification {
    private OciVerification() {}

    /** The TUF repository: {@code QMT4J_SIGSTORE_TUF_URL} from {@code env}, else Sigstore's public good. */
    public static URI tufUrl(Map<String, String> env) {
        String v = env.get("QMT4J_SIGSTORE_TUF_URL");
        return v == null || v.isEmpty() ? HttpTufFetcher.PUBLIC_GOOD : URI.create(v);
    }

    /**
     * The trust-root loader: TUF with its state under {@code cacheDir}, its repository reached with the extra CA
     * certificates and proxies of {@code connections} (a private TUF mirror behind a private CA or a proxy).
     */
    public static TrustRoots trustRoots(Path cacheDir, Map<String, String> env, OciConnections connections) {
        return trustRoots(cacheDir, env, connections, true);
    }

    /**
     * As above; {@code checkPermissions} refuses TUF state that group or others can write or another user owns
     * ({@code [oci] cache_permissions_check}, {@code QMT4J_CACHE_PERMISSIONS_CHECK}).
     */
    public static TrustRoots trustRoots(Path cacheDir, Map<String, String> env, OciConnections connections, boolean checkPermissions) {
        return TrustRoots.withTuf(cacheDir, tufUrl(env), connections::network, checkPermissions);
    }

    /** The verifier for {@code [oci]}, the providers' verify blocks and the flags, loading roots through {@code roots}. */
    public static SigstoreVerifier verifier(OciSettings settings, Function<ImageRef, Optional<VerifyPolicySettings>> providers,
            PolicyFlags flags, TrustRoots roots) {
        return new SigstoreVerifier(new PolicyResolver(settings.verify(), providers, flags), roots);
    }

    /** The verify block of the first OCI provider with one whose image is in the same repository as {@code ref}. */
    public static Optional<VerifyPolicySettings> providerPolicy(List<ProviderEntry> providers, ImageRef ref) {
        for (ProviderEntry p : providers) {
            if (p.isOci() && p.verify().isPresent() && sameRepository(ImageRef.parse(p.path()), ref)) {
                return p.verify();
            }
        }
        return Optional.empty();
    }

    private static boolean sameRepository(ImageRef a, ImageRef b) {
        if (a instanceof RegistryRef x && b instanceof RegistryRef y) {
            return x.name().equals(y.name());
        }
        return a instanceof LayoutRef x && b instanceof LayoutRef y && x.directory().equals(y.directory());
    }
}
