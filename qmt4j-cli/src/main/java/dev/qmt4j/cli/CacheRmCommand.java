package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.CachedBuild;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.Platform;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j cache rm REF}: forget a reference, all its builds (their files go at the next prune);
 * {@code --platform}: delete only the build {@code pull --platform} would select, now, keeping the reference.
 */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Forget a cached reference with all its builds; run 'cache prune' to delete their files.",
                "With --platform, delete only the build 'pull --platform' would select for it, now; the reference stays."})
final class CacheRmCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Parameters(index = "0", paramLabel = "REF", description = "The reference to forget.")
    String reference;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Remove only the build for this platform (wasi/wasm: the Wasm build), as 'pull --platform' selects it.")
    String platform;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        ImageRef ref = ImageRef.parse(reference);
        PluginCache pc = context.services().cache();
        if (pc.findRef(ref).isEmpty()) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, ref.canonical() + " is not in the cache",
                    "'qmt4j cache ls' lists what is cached");
        }
        List<CachedBuild> builds = pc.builds(ref);
        if (platform != null) {
            Platform want = Platform.parse(platform);
            List<CachedBuild> removed = pc.removeBuilds(ref, want);
            if (removed.isEmpty()) {
                throw new Qmt4jException(ErrorKind.NOT_FOUND, "no cached build of " + ref.canonical() + " for " + want,
                        builds.isEmpty() ? "it has no cached build; 'qmt4j cache rm " + ref.canonical() + "' forgets it"
                                : "cached builds: " + labels(builds));
            }
            for (CachedBuild b : removed) {
                context.out().println("removed the " + b.label() + " build of " + ref.canonical() + " ("
                        + Sizes.human(b.size()) + ")");
            }
            return 0;
        }
        pc.remove(ref);
        context.out().println("removed " + ref.canonical() + (builds.isEmpty() ? " (no cached build)"
                : " and its " + builds.size() + " cached build(s): " + labels(builds)
                        + "; 'qmt4j cache prune' deletes the files no other reference uses"));
        return 0;
    }

    private static String labels(List<CachedBuild> builds) {
        return builds.stream().map(CachedBuild::label).collect(Collectors.joining(", "));
    }
}
