package dev.qmt4j.oci.registry;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.ManifestBlob;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.TransferListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one reference through its {@link Route}: mirrors in order, then the primary location, with failover
 * (docs/mirrors.md).
 *
 * <ul>
 *   <li>The reference's tag is resolved on the first source allowed to resolve tags; a {@code digest-only} mirror
 *       never receives a request naming it. Everything else (index children, layers, config, and cosign's
 *       {@code sha256-<hex>.sig} tags and referrers, which are named by digest) comes from the first source
 *       allowed to serve digests. A digest reference skips {@code tag-only} mirrors.</li>
 *   <li>Connection errors, timeouts, 401/403, 404, 5xx and 429 move to the next source at once (every source
 *       but the last is asked without retries); a {@code Retry-After} makes the host cool down, and the client
 *       waits for it only when no other source is left.</li>
 *   <li>A source that served content with the wrong digest is not asked again by this source object (one pull).</li>
 *   <li>Each source is spoken to under its own host name, so credentials are those of the host contacted; mirror
 *       requests carry {@code ?ns=<upstream host>}.</li>
 * </ul>
 *
 * <p>{@link #reference()} is the upstream reference: verification and the cache never see a mirror's name.
 */
final class RoutedSource implements ImageSource {
    private static final Logger LOG = LoggerFactory.getLogger(RoutedSource.class);
    /** cosign's tags for artifacts of a digest: {@code sha256-<hex>}, {@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}. */
    private static final Pattern DIGEST_TAG = Pattern.compile("sha(256|384|512)-[0-9a-f]{64,128}(\\.[a-z]+)?");

    private final Route route;
    private final RegistryClient client;
    private final Set<RouteSource> distrusted = ConcurrentHashMap.newKeySet();

    RoutedSource(Route route, RegistryClient client) {
        this.route = route;
        this.client = client;
    }

    @Override
    public RegistryRef reference() {
        return route.upstream();
    }

    @Override
    public Optional<Digest> peekDigest() {
        return attempt("manifest " + route.upstream().tagOrDigest(), route.forReference(), RegistrySource::peekDigest);
    }

    @Override
    public ManifestBlob resolve() {
        return attempt("manifest " + route.upstream().tagOrDigest(), route.forReference(), RegistrySource::resolve);
    }

    @Override
    public ManifestBlob manifest(Digest digest) {
        return attempt("manifest " + digest, route.forDigests(), s -> s.manifest(digest));
    }

    /** A tag naming a digest's artifacts is content by digest; any other tag is resolved on the tag sources. */
    @Override
    public Optional<ManifestBlob> manifestForTag(String tag) {
        List<RouteSource> sources = DIGEST_TAG.matcher(tag).matches() ? route.forDigests() : route.forTags();
        return lookup("manifest " + tag, sources, s -> s.manifestForTag(tag));
    }

    @Override
    public Optional<ManifestBlob> referrers(Digest subject) {
        return lookup("referrers of " + subject, route.forDigests(), s -> s.referrers(subject));
    }

    /**
     * Something that may not exist (a signature tag, a referrers list): a source that does not have it gives way
     * to the next, since a mirror may hold less than its upstream; once one source has said "none", the others are
     * asked without retries, and "none" is the answer if they fail.
     */
    private <T> Optional<T> lookup(String what, List<RouteSource> candidates, Function<RegistrySource, Optional<T>> op) {
        return attempt(what, candidates, op, true);
    }

    @Override
    public void fetchBlob(Descriptor descriptor, Path target, TransferListener listener) {
        attempt("blob " + descriptor.digest(), route.forDigests(), s -> {
            s.fetchBlob(descriptor, target, listener);
            return Boolean.TRUE;
        });
    }

    /**
     * Runs {@code op} on the first source of {@code candidates} that answers. Only the last source asked is
     * allowed the client's retries (with their backoff): before it, a failure moves on at once.
     */
    private <T> T attempt(String what, List<RouteSource> candidates, Function<RegistrySource, T> op) {
        return attempt(what, candidates, op, false);
    }

    private <T> T attempt(String what, List<RouteSource> candidates, Function<RegistrySource, T> op, boolean optional) {
        List<RouteSource> usable = candidates.stream().filter(s -> !distrusted.contains(s)).toList();
        Tally<T> tally = new Tally<>();
        List<RouteSource> cooling = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            RouteSource s = usable.get(i);
            Optional<Instant> until = client.coolDowns().coolingUntil(s.host());
            if (until.isPresent()) {
                // Another source may answer now: do not wait for this one yet.
                cooling.add(s);
                continue;
            }
            boolean retrying = i == usable.size() - 1 && cooling.isEmpty() && tally.none == null;
            if (ask(s, what, retrying, op, optional, tally)) {
                return tally.answer;
            }
        }
        if (tally.none != null) {
            return tally.none;
        }
        for (RouteSource s : cooling) {
            // No other source is left: wait until the host said it would answer again (capped).
            Instant until = client.coolDowns().coolingUntil(s.host()).orElseGet(Instant::now);
            Duration wait = Duration.between(Instant.now(), until);
            Duration cap = client.options().maxRetryAfter();
            sleep(wait.compareTo(cap) > 0 ? cap : wait);
            if (ask(s, what, true, op, optional, tally)) {
                return tally.answer;
            }
        }
        if (tally.none != null) {
            return tally.none;
        }
        throw exhausted(what, candidates, tally.failures, tally.last);
    }

    /** What the sources asked so far came to, across both passes of {@link #attempt}. */
    private static final class Tally<T> {
        private final List<String> failures = new ArrayList<>();
        private Qmt4jException last;
        /** An empty optional answer, kept in case no other source has it. */
        private T none;
        /** The final answer, once {@link #ask} returned true. */
        private T answer;
    }

    /**
     * Asks one source. True when its answer is final (then in {@code tally.answer}); false when the next source
     * should be asked: after a failure that moves on (recorded in the tally), or an optional "none here".
     */
    private <T> boolean ask(RouteSource s, String what, boolean retrying, Function<RegistrySource, T> op,
            boolean optional, Tally<T> tally) {
        try {
            T result = one(s, what, retrying, op);
            if (optional && ((Optional<?>) result).isEmpty()) {
                tally.none = result;
                return false;
            }
            tally.answer = result;
            return true;
        } catch (Qmt4jException e) {
            tally.last = failed(s, e, tally.failures);
            return false;
        }
    }

    private <T> T one(RouteSource s, String what, boolean retrying, Function<RegistrySource, T> op) {
        try (RegistrySource source = client.source(s, route.upstream().registry(), retrying)) {
            T result = op.apply(source);
            if (result instanceof Optional<?> o && o.isEmpty()) {
                LOG.info("{} of {}: none at {}", what, route.upstream().name(), s.describe());
            } else {
                LOG.info("{} of {} from {}", what, route.upstream().name(), s.describe());
            }
            return result;
        }
    }

    /** Records a failure that moves on to the next source, or rethrows one that would fail everywhere. */
    private Qmt4jException failed(RouteSource s, Qmt4jException e, List<String> failures) {
        switch (e.kind()) {
            case INTEGRITY -> {
                distrusted.add(s);
                LOG.warn("{} served wrong content, not used again in this pull: {}", s.describe(), e.getMessage());
            }
            case NETWORK, NOT_FOUND, AUTH -> retryAfter(e).ifPresent(d -> client.coolDowns().coolDown(s.host(), d));
            default -> throw e;
        }
        LOG.info("{} failed, trying the next source: {}", s.describe(), e.getMessage());
        failures.add(s.describe() + ": " + e.getMessage());
        return e;
    }

    private Qmt4jException exhausted(String what, List<RouteSource> candidates, List<String> failures, Qmt4jException last) {
        RegistryRef up = route.upstream();
        if (route.blocked()) {
            String prefix = route.entry().map(RegistryEntry::prefix).orElse(up.registry());
            String why = failures.isEmpty()
                    ? (candidates.isEmpty() ? "no mirror may serve it (" + (what.startsWith("manifest " + up.tagOrDigest())
                            && up.digest().isEmpty() ? "a tag, and every mirror is digest-only" : "every mirror is tag-only") + ")"
                            : "every mirror that may serve it was distrusted for wrong content")
                    : String.join("; ", failures);
            return new Qmt4jException(ErrorKind.BLOCKED, up.name() + " is blocked ([[oci.registry]] prefix '" + prefix
                    + "') and no mirror could serve " + what + ": " + why,
                    "add a mirror that can serve it, pull by digest if the mirrors are digest-only, or set blocked = false",
                    last);
        }
        if (last == null) {
            return new Qmt4jException(ErrorKind.INTEGRITY, "no trusted source left for " + what + " of " + up.name()
                    + ": every one served wrong content in this pull", "do not trust these sources; check the mirrors");
        }
        if (failures.size() == 1) {
            return last;
        }
        return new Qmt4jException(last.kind(), what + " of " + up.name() + ": every source failed: "
                + String.join("; ", failures), last.hint(), last);
    }

    /** The {@code Retry-After} of a 429/503 behind {@code e}, if it gave one. */
    private static Optional<Duration> retryAfter(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetryableStatus r && r.retryAfter.isPresent()) {
                return r.retryAfter;
            }
        }
        return Optional.empty();
    }

    private static void sleep(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Qmt4jException(ErrorKind.NETWORK, "interrupted while waiting for a registry's Retry-After", null, e);
        }
    }

    @Override
    public String describe() {
        return "registry " + route.upstream().registry() + " (through " + route.sources().size() + " source"
                + (route.sources().size() == 1 ? "" : "s") + ")";
    }

    @Override
    public void close() {
        // the shared HttpClient belongs to the RegistryClient
    }
}
