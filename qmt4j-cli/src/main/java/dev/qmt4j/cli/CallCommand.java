package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code qmt4j call PROVIDER FUNC [INPUT]}: calls one plugin function with JSON input and prints its
 * output (JSON, or the text a function returns as is). Native plugins through their ABI's call,
 * Wasm plugins on a separate Extism instance without network ({@link PluginRegistry#call}).
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Call a function of a configured provider's plugin with JSON input.")
final class CallCommand implements Callable<Integer> {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "A provider name from the config.")
    String provider;

    @Parameters(index = "1", paramLabel = "FUNC", description = "The plugin function (export) to call.")
    String function;

    @Parameters(index = "2", arity = "0..1", paramLabel = "INPUT", description = "JSON input (default: none).")
    String input;

    @Override
    public Integer call() {
        CliContext context = root.context;
        JsonNode in = null;
        if (input != null) {
            try {
                in = MAPPER.readTree(input);
            } catch (JacksonException e) {
                throw new Qmt4jException(ErrorKind.USAGE, "INPUT is not JSON: " + e.getOriginalMessage(),
                        "quote a string as JSON, e.g. '\"text\"'");
            }
        }
        JsonNode out;
        try (PluginRegistry registry = HostAccess.open(context)) {
            out = registry.call(provider, function, in);
        }
        if (out != null) {
            context.out().println(out.isString() ? out.stringValue() : out.toString());
        }
        return 0;
    }
}
