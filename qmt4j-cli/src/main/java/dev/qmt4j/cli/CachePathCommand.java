package dev.qmt4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j cache path}: print the cache directory (without creating it). */
@Command(name = "path", mixinStandardHelpOptions = true, description = "Print the cache directory.")
final class CachePathCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        context.out().println(context.services().cacheDirectory().toAbsolutePath().normalize());
        return 0;
    }
}
