package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j call PROVIDER FUNC [INPUT]}: calls one plugin function and prints its output, as
 * {@code extism call} does: INPUT (or stdin with {@code --stdin}) goes to the plugin as bytes, with no
 * JSON made or checked by the host, so {@code greet Ada} passes {@code Ada}, and an export that wants
 * JSON answers bad input with its own error. Native plugins through their ABI's call, Wasm plugins
 * on a separate Extism instance without network ({@link PluginRegistry#call(String, String, byte[])}).
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Call a function of a configured provider's plugin; INPUT is passed as bytes, as with extism call.")
final class CallCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "A provider name from the config.")
    String provider;

    @Parameters(index = "1", paramLabel = "FUNC", description = "The plugin function (export) to call.")
    String function;

    @Parameters(index = "2", arity = "0..1", paramLabel = "INPUT",
            description = "The input, passed as is (UTF-8; default: none). JSON exports want JSON, e.g. '{\"model\":\"m\"}'.")
    String input;

    @Option(names = "--stdin", description = "Read the input from standard input (as bytes).")
    boolean stdin;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context;
        if (stdin && input != null) {
            throw new Qmt4jException(ErrorKind.USAGE, "INPUT and --stdin exclude each other",
                    "give the input as INPUT or pipe it with --stdin, not both");
        }
        byte[] in = stdin ? System.in.readAllBytes() : input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8);
        byte[] out;
        try (PluginRegistry registry = HostAccess.open(context)) {
            out = registry.call(provider, function, in);
        }
        if (out.length > 0) {
            PrintStream o = context.out();
            o.write(out);
            o.println();
            o.flush();
        }
        return 0;
    }
}
