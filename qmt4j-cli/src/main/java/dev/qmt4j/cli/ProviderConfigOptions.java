package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderBuilder;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * The provider-config flags {@code qmt} (QueryMT's CLI) takes on every provider call, for {@code chat},
 * {@code embed} and {@code models}: {@code --api-key}, {@code --base-url} and {@code -o/--option KEY=VALUE}. Each becomes a
 * top-level key of the config the plugin's {@code from_config} receives, as QueryMT's {@code LLMBuilder}
 * passes them ({@code api_key}, {@code base_url}, the option's key), so the plugin's schema judges them
 * (docs/cli.md).
 */
final class ProviderConfigOptions {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The API key (config key api_key; wins over the config and the plugin's environment variable).")
    String apiKey;

    @Option(names = "--base-url", paramLabel = "URL", description = "The API's base URL (config key base_url).")
    String baseUrl;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "Any provider config key; VALUE is JSON when it parses as JSON (5, true, [\"a\"]), else a string. Repeatable; applied last.")
    List<String> options = new ArrayList<>();

    /** Sets the typed keys, then the {@code -o} options (which therefore win over a flag for the same key). */
    void applyTo(ProviderBuilder b) {
        if (apiKey != null) {
            b.apiKey(apiKey);
        }
        if (baseUrl != null) {
            b.baseUrl(baseUrl);
        }
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new Qmt4jException(ErrorKind.USAGE, "-o expects KEY=VALUE, got '" + option + "'",
                        "write e.g. -o temperature=0.2 or -o stop='[\"END\"]'");
            }
            b.parameter(option.substring(0, eq), value(option.substring(eq + 1)));
        }
    }

    /** A value as {@code qmt -o} reads it: JSON if it parses as JSON, else the text as a string. */
    static JsonNode value(String raw) {
        try {
            JsonNode v = MAPPER.readTree(raw);
            if (v != null && !v.isMissingNode()) {
                return v;
            }
        } catch (JacksonException e) {
            // not JSON: a plain string, as qmt's parse_kv does
        }
        return StringNode.valueOf(raw);
    }

    /** A provider argument split QueryMT's way: {@code NAME} or {@code NAME:MODEL}. */
    record ProviderArg(String name, String model) {
        /**
         * Splits {@code arg} at its first {@code :} unless the config has a provider with exactly that name.
         * {@code modelFlag} ({@code --model}) may repeat the model; two different models are a usage error.
         */
        static ProviderArg of(String arg, String modelFlag, PluginRegistry registry) {
            int colon = arg.indexOf(':');
            if (colon <= 0 || registry.names().contains(arg)) {
                return new ProviderArg(arg, modelFlag);
            }
            String name = arg.substring(0, colon);
            String model = arg.substring(colon + 1);
            if (model.isEmpty()) {
                return new ProviderArg(name, modelFlag);
            }
            if (modelFlag != null && !modelFlag.equals(model)) {
                throw new Qmt4jException(ErrorKind.USAGE, "two models: '" + model + "' in " + arg + " and --model " + modelFlag,
                        "give the model once, as PROVIDER:MODEL or with --model");
            }
            return new ProviderArg(name, model);
        }
    }
}
