package dev.qmt4j.cli;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j models [PROVIDER]}: the model ids a provider lists, one per line. Without PROVIDER, every
 * configured provider's models as {@code NAME:MODEL} lines (what {@code chat} takes), as {@code qmt models}
 * lists them; a plugin without {@code list_models} is left out (said with {@code -v}), one that fails is reported on stderr and the others are still listed, and the exit code
 * is the first failure's. {@code --api-key}, {@code --base-url} and {@code -o} go into the config of each
 * provider asked, as for {@code chat}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models of a configured provider, or of every provider as NAME:MODEL.")
final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROVIDER",
            description = "A provider name from the config (default: every provider).")
    String provider;

    @Option(names = "--json", description = "Print a JSON array (with PROVIDER) or an object of arrays by provider.")
    boolean json;

    @Mixin
    ProviderConfigOptions providerOptions;

    @Override
    public Integer call() {
        CliContext context = root.context;
        PrintStream out = context.out();
        try (PluginRegistry registry = HostAccess.open(context)) {
            if (provider != null) {
                List<String> models = models(registry, provider);
                if (json) {
                    out.println(Json.write(models));
                } else {
                    models.forEach(out::println);
                }
                return 0;
            }
            Map<String, List<String>> all = new LinkedHashMap<>();
            Qmt4jException first = null;
            for (String name : registry.names()) {
                try {
                    List<String> models = models(registry, name);
                    all.put(name, models);
                    if (!json) {
                        models.forEach(m -> out.println(name + ":" + m));
                    }
                } catch (Qmt4jException e) {
                    if (e instanceof ProviderException p && p.providerKind() == ProviderErrorKind.UNSUPPORTED) {
                        // A plugin without list_models has nothing to list; that is not a failure of the listing.
                        if (context.verbose()) {
                            context.err().println("models: provider '" + name + "' lists no models (no list_models export)");
                        }
                        continue;
                    }
                    first = first == null ? e : first;
                    context.err().println("models: provider '" + name + "': " + Main.terminalSafe(HostAccess.reason(e)));
                }
            }
            if (json) {
                out.println(Json.write(all));
            }
            return first == null ? 0 : first.kind().exitCode();
        }
    }

    private List<String> models(PluginRegistry registry, String name) {
        ProviderBuilder b = registry.builder(name);
        providerOptions.applyTo(b);
        return b.build().listModels();
    }
}
