package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.ImageRef;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j cache rm REF}: forget a reference (its content goes at the next prune). */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Forget a cached reference; run 'cache prune' to delete its files.")
final class CacheRmCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Parameters(index = "0", paramLabel = "REF", description = "The reference to forget.")
    String reference;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        ImageRef ref = ImageRef.parse(reference);
        if (!context.services().cache().remove(ref)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, ref.canonical() + " is not in the cache",
                    "'qmt4j cache ls' lists what is cached");
        }
        context.out().println("removed " + ref.canonical());
        return 0;
    }
}
