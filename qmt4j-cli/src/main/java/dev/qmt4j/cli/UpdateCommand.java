package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.LoadResult;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.PluginSource;
import dev.qmt4j.host.UpdateResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j update [PROVIDER...]}: force-refreshes the OCI providers (or the named ones) through
 * the registry's update path and prints a line per provider: {@code updated OLD -> NEW},
 * {@code unchanged DIGEST} or {@code failed: REASON}. Progress goes to stderr: a progress bar per
 * provider download on a terminal, plain lines otherwise ({@link ProgressListeners}). The exit code is
 * the first failure's error kind, 0 when none failed.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Force-refresh OCI providers (all, or the named ones) and report what changed.",
                "Exits non-zero if any update failed."})
final class UpdateCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(arity = "0..*", paramLabel = "PROVIDER", description = "Providers to update (default: every OCI provider).")
    List<String> providers = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--watch", description = "Follow the providers' tags in the foreground: one HEAD per"
            + " interval, new digests with the same signer swapped in (docs/locking.md). Runs until stopped.")
    boolean watch;

    @picocli.CommandLine.Option(names = "--every", paramLabel = "DURATION",
            description = "With --watch: the interval between checks, for every provider followed (default: each provider's"
                    + " [providers.follow] table, following only those that have one; 6h when none has).")
    String every;

    @picocli.CommandLine.Option(names = "--jitter", paramLabel = "DURATION",
            description = "With --watch: up to this much is added to each interval at random (default: the table's jitter, else a tenth"
                    + " of the interval).")
    String jitter;

    @Override
    public Integer call() {
        CliContext context = root.context;
        PrintStream out = context.out();
        Qmt4jException first = null;
        try (PluginRegistry registry = HostAccess.open(context)) {
            List<String> names = new ArrayList<>(providers);
            if (names.isEmpty()) {
                for (String n : registry.names()) {
                    if (isOci(registry, n)) {
                        names.add(n);
                    }
                }
            }
            if (watch) {
                return UpdateWatch.run(context, registry, UpdateWatch.plan(registry, providers, names, every, jitter));
            }
            int i = 0;
            for (String name : names) {
                i++;
                context.info("[" + i + "/" + names.size() + "] " + name + ": checking the version in service");
                // What is in service (from the cache when possible) is the "old" side of the update.
                LoadResult before = registry.load(name);
                if (before instanceof LoadResult.Failed f) {
                    context.info("[" + i + "/" + names.size() + "] " + name + ": not loadable before the update ("
                            + HostAccess.reason(HostAccess.error(f)) + ")");
                }
                context.info("[" + i + "/" + names.size() + "] " + name + ": updating");
                UpdateResult r = registry.update(List.of(name), n -> ProgressListeners.forProvider(context, n)).get(0);
                if (r instanceof UpdateResult.Updated u) {
                    out.println(name + ": " + (u.changed()
                            ? "updated " + u.previous().orElse("(none)") + " -> " + u.digest()
                            : "unchanged " + u.digest()));
                } else {
                    UpdateResult.Failed f = (UpdateResult.Failed) r;
                    Qmt4jException e = f.error() instanceof Qmt4jException q ? q
                            : new Qmt4jException(dev.qmt4j.ErrorKind.INTERNAL, String.valueOf(f.error()), null, f.error());
                    first = first == null ? e : first;
                    out.println(name + ": failed: " + HostAccess.reason(e)
                            + f.stillServing().map(d -> " (still serving " + d + ")").orElse(""));
                    if (e.hint() != null) {
                        context.err().println("hint (" + name + "): " + e.hint());
                    }
                }
            }
            if (names.isEmpty()) {
                context.info("no OCI providers in " + registry.configFile().source());
            }
        }
        return first == null ? 0 : first.kind().exitCode();
    }

    private static boolean isOci(PluginRegistry registry, String name) {
        try {
            return registry.source(name) instanceof PluginSource.Oci;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
