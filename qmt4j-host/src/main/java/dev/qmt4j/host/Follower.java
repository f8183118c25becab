package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.FollowSettings;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.sigstore.SigstoreVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows the tags of OCI providers (docs/locking.md, "Following a tag"): each check is one HEAD of the
 * tag; a new digest is pulled, verified under the policy and must be signed by the same signer as the
 * version in service, then swapped in through {@link PluginRegistry#update(List)}'s path (calls in flight
 * finish on the old version). A refused digest (signed, but not as the policy and the version in service
 * require) is reported once and not retried until the tag moves again; a digest with no signature yet, like
 * a failed check, backs off (doubling, up to 8 intervals) and never unloads the working version.
 * One daemon thread; {@link #close()} stops it.
 */
public final class Follower implements AutoCloseable {
    private static final int MAX_BACKOFF = 8;

    private final PluginRegistry registry;
    /** Each followed provider's interval and jitter. */
    private final Map<String, FollowSettings> plan;
    private final Consumer<FollowEvent> listener;
    private final Random random = new Random();
    private final ScheduledExecutorService timer;
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    Follower(PluginRegistry registry, List<String> names, Duration every, Duration jitter, Consumer<FollowEvent> listener) {
        this(registry, plan(names, every, jitter), listener);
    }

    /** Follows each provider of {@code plan} at its own interval and jitter (a config's {@code [providers.follow]} tables). */
    Follower(PluginRegistry registry, Map<String, FollowSettings> plan, Consumer<FollowEvent> listener) {
        this.registry = registry;
        this.plan = Map.copyOf(plan);
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qmt4j-follow");
            t.setDaemon(true);
            return t;
        });
        plan.forEach((n, p) -> schedule(n, p.every()));
    }

    private static Map<String, FollowSettings> plan(List<String> names, Duration every, Duration jitter) {
        FollowSettings settings;
        try {
            settings = new FollowSettings(every, jitter); // the one place the bounds are checked
        } catch (IllegalArgumentException e) {
            throw new Qmt4jException(ErrorKind.USAGE, "follow: " + e.getMessage());
        }
        Map<String, FollowSettings> plan = new java.util.LinkedHashMap<>();
        names.forEach(n -> plan.put(n, settings));
        return plan;
    }

    private void schedule(String name, Duration base) {
        Duration jitter = plan.get(name).jitter();
        long extra = jitter.isZero() ? 0 : (long) (random.nextDouble() * jitter.toMillis());
        if (!timer.isShutdown()) {
            timer.schedule(() -> check(name), base.toMillis() + extra, TimeUnit.MILLISECONDS);
        }
    }

    private void check(String name) {
        Duration next = plan.get(name).every();
        try {
            Optional<Digest> tagged = registry.peekTag(name);
            if (tagged.isEmpty()) {
                throw new Qmt4jException(ErrorKind.NETWORK, "the registry did not tell the tag's digest");
            }
            String now = tagged.get().toString();
            String current = registry.digestInService(name);
            if (now.equals(current) || now.equals(refused.get(name))) {
                failures.remove(name);
                emit(new FollowEvent.Unchanged(name, current));
            } else {
                UpdateResult r = registry.updateSameSigner(name);
                // Only a settled outcome resets the back-off: a failed update (no signature yet, registry gone
                // mid-pull) counts as a failed check, so the interval doubles as docs/locking.md says.
                if (r instanceof UpdateResult.Updated u) {
                    failures.remove(name);
                    refused.remove(name);
                    emit(u.changed() ? new FollowEvent.Swapped(name, u.previous(), u.digest())
                            : new FollowEvent.Unchanged(name, u.digest()));
                } else {
                    UpdateResult.Failed f = (UpdateResult.Failed) r;
                    // No signature at all is most often a release whose signature is pushed a moment after
                    // it: retried with back-off, not refused for good like a signature that fails the policy.
                    // Decided by the verifier's refusal kind, never the message, which quotes certificate fields.
                    if (f.error() instanceof Qmt4jException q && q.kind() == ErrorKind.VERIFICATION && !SigstoreVerifier.isUnsigned(q)) {
                        failures.remove(name);
                        refused.put(name, now);
                        emit(new FollowEvent.Refused(name, now, String.valueOf(q.getMessage())));
                    } else {
                        next = backoff(name);
                        emit(new FollowEvent.Failed(name, String.valueOf(f.error().getMessage()), next));
                    }
                }
            }
        } catch (RuntimeException e) {
            next = backoff(name);
            emit(new FollowEvent.Failed(name, String.valueOf(e.getMessage()), next));
        }
        schedule(name, next);
    }

    private Duration backoff(String name) {
        int n = failures.merge(name, 1, Integer::sum);
        return plan.get(name).every().multipliedBy(Math.min(1L << Math.min(n, 10), MAX_BACKOFF));
    }

    private void emit(FollowEvent e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ignored) {
            // a failing listener must not stop following
        }
    }


    /** Stops following; a check running now finishes. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
