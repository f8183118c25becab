package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Path;
import java.util.Locale;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;

/**
 * The config file formats QueryMT accepts, chosen by file extension exactly as QueryMT does.
 *
 * <p>Each format creates its own Jackson factory on demand, so a JSON config never loads the YAML
 * or TOML parsers (that matters for CLI start-up time).
 */
enum ConfigFormat {
    TOML,
    JSON,
    YAML;

    static final String ACCEPTED = ".toml, .json, .yaml or .yml";

    /** The format for {@code file}'s extension, or a {@code CONFIG} error naming the accepted ones. */
    static ConfigFormat of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".toml")) {
            return TOML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        throw new Qmt4jException(ErrorKind.CONFIG, "unsupported config format: " + file,
                "name the file with one of " + ACCEPTED);
    }

    TokenStreamFactory factory() {
        return switch (this) {
            case TOML -> new tools.jackson.dataformat.toml.TomlFactory();
            case JSON -> new JsonFactory();
            case YAML -> new tools.jackson.dataformat.yaml.YAMLFactory();
        };
    }
}
