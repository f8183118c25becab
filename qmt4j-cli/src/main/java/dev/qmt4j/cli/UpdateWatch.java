package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.config.FollowSettings;
import dev.qmt4j.host.FollowEvent;
import dev.qmt4j.host.Follower;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.pull.RefreshPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code qmt4j update --watch}: runs the registry's {@link Follower} in the foreground (docs/locking.md,
 * "Following a tag") and prints what it does until the process is stopped: {@code NAME: swapped OLD -> NEW}
 * and {@code NAME: refused DIGEST: REASON} on stdout, unchanged checks and failures on stderr.
 */
final class UpdateWatch {
    private UpdateWatch() {}

    /** Parses a duration as the config's {@code refresh} does ({@code 30s}, {@code 10m}, {@code 6h}, {@code 1d}). */
    static Duration duration(String option, String text) {
        RefreshPolicy p;
        try {
            p = RefreshPolicy.parse(text);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p instanceof RefreshPolicy.Interval i) {
            return i.maxAge();
        }
        if ("0s".equals(text) || "0".equals(text)) {
            return Duration.ZERO;
        }
        throw new Qmt4jException(ErrorKind.USAGE, option + ": expected a duration like 30s, 10m or 6h, got '" + text + "'");
    }

    /** The interval when neither {@code --every} nor a {@code [providers.follow]} table gives one. */
    static final Duration DEFAULT_EVERY = Duration.ofHours(6);

    /**
     * Who is followed, how often: the named providers, else (without {@code --every}) those with a
     * {@code [providers.follow]} table, else every OCI provider ({@code ociNames}). Each at {@code --every} when given,
     * else its own table's {@code every} and {@code jitter}, else {@link #DEFAULT_EVERY}; {@code --jitter} overrides the
     * jitter, which otherwise defaults to a tenth of the interval.
     */
    static Map<String, FollowSettings> plan(PluginRegistry registry, List<String> named, List<String> ociNames,
            String everyOption, String jitterOption) {
        Duration every = everyOption == null ? null : duration("--every", everyOption);
        Duration jitter = jitterOption == null ? null : duration("--jitter", jitterOption);
        if (every != null && every.isZero()) {
            throw new Qmt4jException(ErrorKind.USAGE, "--every: the interval must be positive, got '" + everyOption + "'");
        }
        Map<String, FollowSettings> tables = registry.followPlan();
        List<String> names = !named.isEmpty() ? named
                : every == null && !tables.isEmpty() ? List.copyOf(tables.keySet()) : ociNames;
        Map<String, FollowSettings> plan = new LinkedHashMap<>();
        for (String n : names) {
            FollowSettings table = every == null ? tables.get(n) : null;
            Duration e = table != null ? table.every() : every != null ? every : DEFAULT_EVERY;
            Duration j = jitter != null ? jitter : table != null ? table.jitter() : FollowSettings.defaultJitter(e);
            plan.put(n, new FollowSettings(e, j));
        }
        return plan;
    }

    static int run(CliContext context, PluginRegistry registry, Map<String, FollowSettings> plan) {
        PrintStream out = context.out();
        Map<String, FollowSettings> followed = new LinkedHashMap<>();
        plan.forEach((n, f) -> {
            PluginSource s = registry.source(n);
            if (s instanceof PluginSource.Oci o && o.reference().digest().isEmpty()) {
                followed.put(n, f);
            } else {
                context.info(n + ": not followed (no tag: " + s.display() + ")");
            }
        });
        if (followed.isEmpty()) {
            throw new Qmt4jException(ErrorKind.USAGE, "no provider to follow: --watch follows oci:// providers named by a tag");
        }
        for (var entry : followed.entrySet()) {
            String n = entry.getKey();
            LoadResult r = registry.load(n);
            if (r instanceof LoadResult.Failed f) {
                throw HostAccess.error(f);
            }
            context.info(n + ": following " + registry.source(n).display() + " every " + entry.getValue().every()
                    + " (+ up to " + entry.getValue().jitter() + "), in service " + ((LoadResult.Loaded) r).digest());
        }
        try (Follower follower = registry.follow(followed, e -> print(context, out, e))) {
            new CountDownLatch(1).await(); // until the process is stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void print(CliContext context, PrintStream out, FollowEvent e) {
        if (e instanceof FollowEvent.Swapped s) {
            out.println(s.provider() + ": swapped " + s.previous().orElse("(none)") + " -> " + s.digest());
        } else if (e instanceof FollowEvent.Refused r) {
            out.println(r.provider() + ": refused " + r.digest() + ": " + r.reason());
        } else if (e instanceof FollowEvent.Failed f) {
            context.err().println(f.provider() + ": check failed: " + f.reason() + " (next check in " + f.retryIn() + ")");
        } else if (e instanceof FollowEvent.Unchanged u && context.verbose()) {
            context.err().println(u.provider() + ": unchanged " + u.digest());
        }
        out.flush();
        context.err().flush();
    }
}
