package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A QueryMT-style provider config file: {@code providers} and an optional {@code [oci]} table.
 *
 * <p>Unknown keys at the top level, in {@code [oci]} or in a provider entry are {@linkplain #warnings()
 * warnings} (QueryMT ignores keys it does not know, so its files may carry some), or errors when loading
 * is strict ({@link #load(Path, boolean)}, or {@code strict = true} in the file), since a misspelt
 * security key falls back to its default. Unknown keys in qmt4j's own {@code [providers.sandbox]} are
 * always errors; {@code [providers.config]} is the plugin's, checked against its schema by the host.
 *
 * @param source    the file it was read from
 * @param providers the provider entries, in file order
 * @param oci       the {@code [oci]} settings (defaults if the table is absent)
 * @param warnings  the keys that were ignored, in file order
 */
public record ConfigFile(Path source, List<ProviderEntry> providers, OciSettings oci, List<ConfigWarning> warnings) {

    /** The top-level keys ({@code strict}: qmt4j's, turns unknown keys into errors). */
    public static final List<String> KEYS = List.of("providers", "oci", "strict");

    public ConfigFile {
        providers = List.copyOf(providers);
        warnings = List.copyOf(warnings);
    }

    /** A config without warnings. */
    public ConfigFile(Path source, List<ProviderEntry> providers, OciSettings oci) {
        this(source, providers, oci, List.of());
    }

    /**
     * Reads {@code file} as TOML, JSON or YAML by its extension.
     *
     * @throws Qmt4jException {@code CONFIG} for an unsupported extension or invalid content (with
     *     file, line and key path), {@code NOT_FOUND} if the file does not exist
     */
    public static ConfigFile load(Path file) {
        return load(file, false);
    }

    /**
     * Reads {@code file}; with {@code strict}, an unknown key is a {@code CONFIG} error instead of a warning.
     *
     * @throws Qmt4jException as {@link #load(Path)}
     */
    public static ConfigFile load(Path file, boolean strict) {
        ConfigFormat format = ConfigFormat.of(file);
        if (!Files.exists(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "config file not found: " + file,
                    "check the --config path");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new Qmt4jException(ErrorKind.CONFIG, "config file is not a readable file: " + file);
        }
        return ConfigSchema.read(ConfigTree.read(file, format), strict);
    }
}
