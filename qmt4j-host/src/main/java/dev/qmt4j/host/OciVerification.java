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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * snapshot with {@code use_sigstore_tuf_data = false}. Relative file paths in a provider's verify block
 * ({@code public_key} and the trust-root keys) are relative to the config file's directory.
 */
public final class OciVerification {
    /** Verify-block keys that name files. */
    private static final Set<String> FILE_KEYS = Set.of("public_key", "fulcio_certs", "rekor_pub_keys", "ctfe_pub_keys");

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

    /**
     * One provider's {@code verify} block as settings (empty without one), relative file paths resolved
     * against {@code configDir} (when given).
     */
    public static Optional<VerifyPolicySettings> providerSettings(ProviderEntry entry, Path configDir) {
        if (entry.verify().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> block = new LinkedHashMap<>(entry.verify());
        if (configDir != null) {
            for (String k : FILE_KEYS) {
                if (block.get(k) instanceof String file && !file.startsWith("~") && !Path.of(file).isAbsolute()) {
                    block.put(k, configDir.resolve(file).normalize().toString());
                }
            }
        }
        return Optional.of(PolicyResolver.settings(block));
    }

    /** The verify block of the first OCI provider with one whose image is in the same repository as {@code ref}. */
    public static Optional<VerifyPolicySettings> providerPolicy(List<ProviderEntry> providers, ImageRef ref, Path configDir) {
        for (ProviderEntry p : providers) {
            if (p.isOci() && !p.verify().isEmpty() && sameRepository(ImageRef.parse(p.path()), ref)) {
                return providerSettings(p, configDir);
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
