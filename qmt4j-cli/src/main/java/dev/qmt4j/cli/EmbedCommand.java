package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code qmt4j embed PROVIDER[:MODEL] [TEXT...]}: one embedding vector per text, as {@code qmt embed}
 * makes them. Each TEXT is one document; without TEXT, standard input is split into documents at
 * {@code --separator} (a newline by default; empty pieces are skipped). Prints one line per vector
 * (its numbers separated by spaces), or with {@code --json} a JSON array of arrays.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print the embedding vectors of texts from a configured provider.")
final class EmbedCommand implements Callable<Integer> {
    @ParentCommand
    Qmt4jCommand root;

    @Mixin
    PlatformOption platform;

    @Parameters(index = "0", paramLabel = "PROVIDER[:MODEL]", description = "A provider name from the config, optionally with the model.")
    String provider;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT", description = "The texts, one document each (default: read stdin).")
    List<String> texts = new ArrayList<>();

    @Option(names = {"-m", "--model"}, paramLabel = "M", description = "The model (overrides the config's).")
    String model;

    @Option(names = "--separator", paramLabel = "S", description = "Splits standard input into documents (default: a newline).")
    String separator = "\n";

    @Option(names = {"-d", "--dimensions"}, paramLabel = "N", description = "Vector length, for models that can shorten it (config key embedding_dimensions).")
    Integer dimensions;

    @Option(names = "--encoding-format", paramLabel = "F", description = "Config key embedding_encoding_format (e.g. float).")
    String encodingFormat;

    @Option(names = "--json", description = "Print a JSON array of vectors.")
    boolean json;

    @Mixin
    ProviderConfigOptions providerOptions;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context;
        List<String> documents = texts.isEmpty() ? stdinDocuments() : texts;
        if (documents.isEmpty()) {
            throw new Qmt4jException(ErrorKind.USAGE, "nothing to embed", "give TEXT or pipe it to stdin");
        }
        float[][] vectors;
        try (PluginRegistry registry = HostAccess.open(context)) {
            ProviderConfigOptions.ProviderArg arg = ProviderConfigOptions.ProviderArg.of(provider, model, registry);
            ProviderBuilder b = registry.builder(arg.name());
            if (arg.model() != null) {
                b.model(arg.model());
            }
            if (dimensions != null) {
                if (dimensions <= 0) {
                    throw new Qmt4jException(ErrorKind.USAGE, "--dimensions must be positive, got " + dimensions, null);
                }
                b.parameter("embedding_dimensions", dimensions);
            }
            if (encodingFormat != null) {
                b.parameter("embedding_encoding_format", encodingFormat);
            }
            providerOptions.applyTo(b);
            vectors = b.build().embed(documents);
        }
        print(context.out(), vectors);
        return 0;
    }

    private List<String> stdinDocuments() throws IOException {
        String in = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (separator.isEmpty()) {
            return in.isBlank() ? List.of() : List.of(in);
        }
        return Arrays.stream(in.split(Pattern.quote(separator))).filter(s -> !s.isBlank()).toList();
    }

    /** One line per vector; with {@code --json} a JSON array of arrays, one vector per line. */
    private void print(PrintStream out, float[][] vectors) {
        StringBuilder sb = new StringBuilder(json ? "[" : "");
        for (int r = 0; r < vectors.length; r++) {
            if (json) {
                sb.append(r == 0 ? "\n  [" : ",\n  [");
            }
            for (int i = 0; i < vectors[r].length; i++) {
                sb.append(i == 0 ? "" : json ? ", " : " ").append(vectors[r][i]);
            }
            sb.append(json ? "]" : "\n");
        }
        if (json) {
            sb.append(vectors.length == 0 ? "]\n" : "\n]\n");
        }
        out.print(sb);
    }
}
