package dev.qmt4j.cli;

import dev.qmt4j.cache.PruneReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j cache prune}: delete content no reference points to. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove cached manifests and plugins that no reference points to.")
final class CachePruneCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        PruneReport report = context.services().cache().prune();
        if (context.verbose()) {
            report.removed().forEach(p -> context.err().println("removed " + p));
        }
        context.out().println("removed " + report.removed().size() + " item(s), freed " + Sizes.human(report.bytesFreed()));
        return 0;
    }
}
