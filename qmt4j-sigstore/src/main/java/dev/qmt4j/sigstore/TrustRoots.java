package dev.qmt4j.sigstore;

import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.tuf.HttpTufFetcher;
import dev.qmt4j.sigstore.trust.tuf.SigstoreTufRoot;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loads trust roots for {@link TrustSource}s, each at most once per instance. Public good with TUF
 * goes through a {@link SigstoreTufRoot} (online: refresh when due, falling back to the cached root
 * with its age reported; offline: cache only, no network).
 */
public final class TrustRoots {
    private final Supplier<Optional<SigstoreTufRoot>> tuf;
    private final Map<String, TrustRoot> loaded = new HashMap<>();
    private Optional<SigstoreTufRoot> tufClient;

    private TrustRoots(Supplier<Optional<SigstoreTufRoot>> tuf) {
        this.tuf = tuf;
    }

    /** TUF enabled: state under {@code cacheRoot/sigstore/tuf/<host of base>/}; the JDK's trust anchors and proxy settings. */
    public static TrustRoots withTuf(Path cacheRoot, URI base) {
        return withTuf(cacheRoot, base, NetworkSettings::jdkDefaults);
    }

    /**
     * TUF enabled, the repository reached with {@code network}'s extra CA certificates and proxies (asked for
     * only when the TUF client is first needed, so a cache hit reads no CA file).
     */
    public static TrustRoots withTuf(Path cacheRoot, URI base, Supplier<NetworkSettings> network) {
        return withTuf(cacheRoot, base, network, true);
    }

    /**
     * As above; {@code checkPermissions = false} accepts TUF state that group or others can write or another user
     * owns (a shared read-only cache, {@code [oci] cache_permissions_check = false}).
     */
    public static TrustRoots withTuf(Path cacheRoot, URI base, Supplier<NetworkSettings> network, boolean checkPermissions) {
        return new TrustRoots(() -> Optional.of(SigstoreTufRoot.publicGood(base, cacheRoot, network.get(), checkPermissions)));
    }

    /** TUF enabled with a given client (tests). */
    public static TrustRoots withTuf(SigstoreTufRoot client) {
        return new TrustRoots(() -> Optional.of(client));
    }

    /** The public-good default: TUF at {@link HttpTufFetcher#PUBLIC_GOOD}. */
    public static TrustRoots publicGood(Path cacheRoot) {
        return withTuf(cacheRoot, HttpTufFetcher.PUBLIC_GOOD);
    }

    /** No TUF: the public good root is the embedded snapshot. */
    public static TrustRoots embeddedOnly() {
        return new TrustRoots(Optional::empty);
    }

    /**
     * The root for {@code source}.
     *
     * @param network whether a TUF refresh may use the network (false for offline re-verification)
     * @throws dev.qmt4j.sigstore.trust.TrustRootException if the root is unusable or TUF refused its data
     */
    public synchronized TrustRoot load(TrustSource source, boolean network) {
        String key = source + (network ? "" : " offline");
        TrustRoot root = loaded.get(key);
        if (root == null) {
            if (source instanceof TrustSource.File f) {
                root = TrustRoot.fromFile(f.path());
            } else if (source instanceof TrustSource.Manual m) {
                root = TrustRoot.manual(m.fulcioCerts(), m.rekorPubKeys(), m.ctfePubKeys());
            } else {
                root = publicGood(((TrustSource.PublicGood) source).tuf(), network);
            }
            loaded.put(key, root);
        }
        return root;
    }

    private TrustRoot publicGood(boolean useTuf, boolean network) {
        if (!useTuf) {
            return TrustRoot.publicGood();
        }
        if (tufClient == null) {
            tufClient = tuf.get();
        }
        if (tufClient.isEmpty()) {
            return TrustRoot.publicGood();
        }
        return network ? tufClient.get().online() : tufClient.get().offline();
    }
}
