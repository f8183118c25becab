package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A QueryMT-style provider config file: {@code providers} and an optional {@code [oci]} table.
 *
 * <p>Loading is strict: unknown keys at the top level, in {@code [oci]} or in a provider entry are
 * errors, because a misspelt security key must not silently fall back to its default.
 *
 * @param source    the file it was read from
 * @param providers the provider entries, in file order
 * @param oci       the {@code [oci]} settings (defaults if the table is absent)
 */
public record ConfigFile(Path source, List<ProviderEntry> providers, OciSettings oci) {

    /** The top-level keys. */
    public static final List<String> KEYS = List.of("providers", "oci");

    public ConfigFile {
        providers = List.copyOf(providers);
    }

    /**
     * Reads {@code file} as TOML, JSON or YAML by its extension.
     *
     * @throws Qmt4jException {@code CONFIG} for an unsupported extension or invalid content (with
     *     file, line and key path), {@code NOT_FOUND} if the file does not exist
     */
    public static ConfigFile load(Path file) {
        ConfigFormat format = ConfigFormat.of(file);
        if (!Files.exists(file)) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, "config file not found: " + file,
                    "check the --config path");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new Qmt4jException(ErrorKind.CONFIG, "config file is not a readable file: " + file);
        }
        return ConfigSchema.read(ConfigTree.read(file, format));
    }
}
