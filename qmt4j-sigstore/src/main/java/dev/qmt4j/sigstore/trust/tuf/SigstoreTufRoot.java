package dev.qmt4j.sigstore.trust.tuf;

import dev.qmt4j.files.CachePermissions;
import dev.qmt4j.sigstore.trust.TrustRoot;
import dev.qmt4j.sigstore.trust.TrustRootException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sigstore trust root obtained through TUF (docs/verification.md, "Trust root and TUF"), cached under
 * {@code <cache>/sigstore/tuf/<repository host>/}.
 *
 * <ul>
 * <li>{@link #online()}: if the cached {@code trusted_root.json} was refreshed within the refresh
 *     interval, it is used as is; otherwise the TUF repository is consulted. When the repository
 *     cannot be <em>read</em> (network down, HTTP error), the last good cached root is used (but not once its
 *     metadata has been expired for more than {@link #FREEZE_GRACE}: then the call fails), else the
 *     embedded snapshot, and the result's {@link TrustRoot#source()} says so with the root's age. When
 *     the repository's data fails a TUF check ({@link TufException}), nothing is used: the call fails.</li>
 * <li>{@link #offline()}: never touches the network (re-verification of a cached plugin): the cached
 *     root, else the embedded snapshot.</li>
 * </ul>
 * Both refuse state that group or others can write or another user owns ({@link #checkingPermissions}).
 */
public final class SigstoreTufRoot {
    /** The target name of the trust root in Sigstore's repositories. */
    public static final String TRUSTED_ROOT_TARGET = "trusted_root.json";
    /** Refresh at most this often by default (sigstore-java's cache validity). */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofDays(1);
    /** Default network timeout: the public-good CDN is often unreachable in sandboxes and air-gapped sites. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long past its own expiry cached TUF metadata may still be used while the repository cannot be reached
     * (freeze-attack protection, TUF specification 5.4; docs/verification.md, "Trust root").
     */
    public static final Duration FREEZE_GRACE = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(SigstoreTufRoot.class);
    private static final String EMBEDDED_ROOT = "public-good-root.json";

    private final String repository;
    private final TufStore store;
    private final TufUpdater updater;
    private final Clock clock;
    private final Duration refreshInterval;
    private final java.util.function.Supplier<TrustRoot> embedded;
    private final Path cacheRoot;
    private volatile boolean checkPermissions = true;

    /**
     * @param fetcher         reads the repository
     * @param repository      its name for messages and the cache directory (the host)
     * @param cacheRoot       the plugin cache directory; state goes to {@code cacheRoot/sigstore/tuf/<repository>}
     * @param bootstrapRoot   the TUF root trusted initially
     * @param embedded        the trusted root used when nothing is cached and the repository is unreachable
     * @param clock           for expiry checks and ages
     * @param refreshInterval how long a refreshed root is used without asking the repository
     */
    public SigstoreTufRoot(TufFetcher fetcher, String repository, Path cacheRoot, byte[] bootstrapRoot,
            java.util.function.Supplier<TrustRoot> embedded, Clock clock, Duration refreshInterval) {
        this.repository = repository;
        this.store = new TufStore(cacheRoot.resolve("sigstore").resolve("tuf").resolve(safe(repository)));
        this.updater = new TufUpdater(fetcher, store, bootstrapRoot, clock);
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        this.embedded = embedded;
        this.cacheRoot = cacheRoot;
    }

    /** Sigstore's public-good repository at {@code base} (production: {@link HttpTufFetcher#PUBLIC_GOOD}). */
    public static SigstoreTufRoot publicGood(URI base, Path cacheRoot) {
        return publicGood(base, cacheRoot, dev.qmt4j.http.NetworkSettings.jdkDefaults());
    }

    /** As {@link #publicGood(URI, Path)}, fetched with {@code network}'s extra CA certificates and proxies. */
    public static SigstoreTufRoot publicGood(URI base, Path cacheRoot, dev.qmt4j.http.NetworkSettings network) {
        return publicGood(base, cacheRoot, network, true);
    }

    /** As above; {@code checkPermissions = false} skips the ownership and mode check of the TUF state directory. */
    public static SigstoreTufRoot publicGood(URI base, Path cacheRoot, dev.qmt4j.http.NetworkSettings network,
            boolean checkPermissions) {
        return new SigstoreTufRoot(new HttpTufFetcher(base, DEFAULT_TIMEOUT, network), base.getHost(), cacheRoot,
                embeddedTufRoot(), TrustRoot::publicGood, Clock.systemUTC(), DEFAULT_REFRESH_INTERVAL)
                .checkingPermissions(checkPermissions);
    }

    /**
     * Whether to refuse TUF state that group or others can write or another user owns (on by default): someone
     * who can write it could plant a root of their own (docs/verification.md, "The cache's permissions").
     */
    public SigstoreTufRoot checkingPermissions(boolean check) {
        this.checkPermissions = check;
        return this;
    }

    /** The directories {@link #checkingPermissions} covers: the cache, {@code sigstore/tuf} and this repository's state. */
    private List<Path> stateDirectories() {
        List<Path> dirs = new ArrayList<>(List.of(cacheRoot, cacheRoot.resolve("sigstore"), cacheRoot.resolve("sigstore").resolve("tuf")));
        dirs.addAll(CachePermissions.trustRootDirectories(store.directory()));
        return dirs;
    }

    private void checkPermissions() {
        if (checkPermissions) {
            CachePermissions.check(stateDirectories(), "trust-root directory");
        }
    }

    /** The public-good TUF {@code root.json} embedded in this jar (initial trust). */
    public static byte[] embeddedTufRoot() {
        try (InputStream in = SigstoreTufRoot.class.getResourceAsStream(EMBEDDED_ROOT)) {
            if (in == null) {
                throw new TrustRootException("embedded public-good TUF root.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local state. */
    public TufStore store() {
        return store;
    }

    /**
     * The trust root, refreshing through TUF when the cached one is older than the refresh interval.
     *
     * @throws TrustRootException when the repository's data fails a TUF check
     */
    public TrustRoot online() {
        checkPermissions();
        Instant now = clock.instant();
        Optional<Instant> refreshed = store.refreshedAt();
        if (refreshed.isPresent() && Duration.between(refreshed.get(), now).compareTo(refreshInterval) < 0) {
            Optional<byte[]> cached = updater.cachedTarget(TRUSTED_ROOT_TARGET);
            if (cached.isPresent()) {
                return TrustRoot.fromJson(cached.get(), "Sigstore trust root from TUF " + repository + ", fetched " + age(refreshed.get(), now));
            }
        }
        byte[] fresh;
        try {
            fresh = updater.refresh(TRUSTED_ROOT_TARGET);
        } catch (IOException | UncheckedIOException e) {
            return unreachable("TUF refresh failed: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } catch (TufException e) {
            throw new TrustRootException("refusing the Sigstore trust root from TUF " + repository + ": " + e.getMessage(), e);
        }
        return TrustRoot.fromJson(fresh, "Sigstore trust root from TUF " + repository + ", fetched just now");
    }

    /**
     * The repository could not be read: the cached root while its metadata has not been expired for more than
     * {@link #FREEZE_GRACE} (an attacker who blocks the repository must not keep an old root in use for ever), with
     * its age and expiry in {@link TrustRoot#source()}; else the embedded snapshot when nothing is cached.
     *
     * @throws TrustRootException when the cached metadata expired more than {@link #FREEZE_GRACE} ago
     */
    private TrustRoot unreachable(String why) {
        Instant now = clock.instant();
        Optional<Instant> expiry = updater.cachedExpiry();
        if (expiry.isPresent() && updater.cachedTarget(TRUSTED_ROOT_TARGET).isPresent()) {
            Instant expired = expiry.get();
            String fetched = store.refreshedAt().map(t -> "fetched " + age(t, now)).orElse("fetched at an unknown time");
            if (now.isAfter(expired.plus(FREEZE_GRACE))) {
                throw new TrustRootException("the cached Sigstore trust root from TUF " + repository + " (" + fetched
                        + ") expired on " + expired + ", more than " + FREEZE_GRACE.toDays() + " days ago, and the repository"
                        + " cannot be reached (" + why + "); refusing to use it. Let qmt4j reach " + repository
                        + " once to refresh it (or set QMT4J_SIGSTORE_TUF_URL to a reachable mirror), or pin a trusted root:"
                        + " --trusted-root FILE, or fulcio_certs/rekor_pub_keys in the verify policy");
            }
            if (now.isAfter(expired)) {
                why = why + "; its TUF metadata expired on " + expired + ", accepted until " + expired.plus(FREEZE_GRACE);
            }
        }
        return fallback(why);
    }

    /** The cached root, else the embedded snapshot; no network. */
    public TrustRoot offline() {
        checkPermissions();
        return fallback("offline");
    }

    private TrustRoot fallback(String why) {
        Instant now = clock.instant();
        Optional<byte[]> cached = updater.cachedTarget(TRUSTED_ROOT_TARGET);
        TrustRoot root;
        if (cached.isPresent()) {
            String when = store.refreshedAt().map(t -> age(t, now)).orElse("at an unknown time");
            root = TrustRoot.fromJson(cached.get(), "using Sigstore trust root fetched " + when + " from TUF " + repository + "; " + why);
        } else {
            TrustRoot e = embedded.get();
            root = new TrustRoot("using the " + e.source() + " (no TUF data cached for " + repository + "); " + why,
                    false, e.certificateAuthorities(), e.tlogs(), e.ctlogs(), e.timestampAuthorities());
        }
        if (!why.equals("offline")) {
            LOG.debug("{}", root.source());
        }
        return root;
    }

    /** "just now", "5 minutes ago", "3 hours ago", "3 days ago". */
    static String age(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return plural(d.toMinutes(), "minute");
        }
        if (d.toDays() < 1) {
            return plural(d.toHours(), "hour");
        }
        return plural(d.toDays(), "day");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s") + " ago";
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
