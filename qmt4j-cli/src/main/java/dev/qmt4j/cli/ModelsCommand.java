package dev.qmt4j.cli;

import dev.qmt4j.host.PluginRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j models PROVIDER}: the model ids the provider lists, one per line. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models of a configured provider.")
final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "A provider name from the config.")
    String provider;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        CliContext context = root.context;
        List<String> models;
        try (PluginRegistry registry = HostAccess.open(context)) {
            models = registry.listModels(provider);
        }
        if (json) {
            context.out().println(Json.write(models));
        } else {
            models.forEach(context.out()::println);
        }
        return 0;
    }
}
