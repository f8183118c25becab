package dev.qmt4j.config;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the provider config file the way QueryMT's library does, with qmt4j's own variable first.
 *
 * <p>Order: an explicit path ({@code --config}); {@code QMT4J_CONFIG}; QueryMT's
 * {@code QMT_PROVIDER_CONFIG}; then, in each of {@code QMT_CONFIG_DIR}, {@code QMT_HOME} and
 * {@code ~/.qmt} in turn, the first of {@link #FILE_NAMES} that exists. An explicit path or a
 * variable names an exact file: it is used even if it does not exist, so the error says which
 * file is missing instead of silently falling through to another one. Blank variables are ignored.
 *
 * <p>Values such as {@code ${OPENAI_API_KEY}} inside a config are <em>not</em> expanded: a secret
 * belongs in the environment variable the plugin names ({@code api_key_name}), which the host reads
 * itself, and expanding arbitrary variables into provider configs would leak them to plugins.
 *
 * @param env  the environment to read (injectable for tests)
 * @param home the user's home directory
 */
public record ConfigDiscovery(Map<String, String> env, Path home) {

    /** The file names tried in each directory, in order. */
    public static final List<String> FILE_NAMES = List.of("providers.toml", "providers.json", "providers.yaml",
            "providers.yml", "plugins.toml", "extism_plugins.toml");

    public ConfigDiscovery {
        env = Map.copyOf(env);
    }

    /** Discovery over the process environment and {@code user.home}. */
    public static ConfigDiscovery system() {
        return new ConfigDiscovery(System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    /**
     * The config file to use.
     *
     * @param explicit a path given on the command line or by the application, if any
     * @return the path and why it was chosen, or empty when nothing is configured or found
     */
    public Optional<Found> find(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            return Optional.of(new Found(explicit.get(), "--config"));
        }
        for (String var : List.of("QMT4J_CONFIG", "QMT_PROVIDER_CONFIG")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                return Optional.of(new Found(Path.of(v.strip()), "$" + var));
            }
        }
        for (Path dir : directories()) {
            for (String name : FILE_NAMES) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    return Optional.of(new Found(p, "found in " + dir));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find} but fails when nothing is found.
     *
     * @throws Qmt4jException {@code NOT_FOUND} naming every place that was searched
     */
    public Found require(Optional<Path> explicit) {
        return find(explicit).orElseThrow(() -> new Qmt4jException(ErrorKind.NOT_FOUND,
                "no provider config found; searched " + searched(),
                "pass --config, set QMT4J_CONFIG or QMT_PROVIDER_CONFIG, or create ~/.qmt/providers.toml"));
    }

    /** The directories searched, in order: {@code QMT_CONFIG_DIR}, {@code QMT_HOME}, {@code ~/.qmt}. */
    public List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        for (String var : List.of("QMT_CONFIG_DIR", "QMT_HOME")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                dirs.add(Path.of(v.strip()));
            }
        }
        dirs.add(home.resolve(".qmt"));
        return dirs;
    }

    private String searched() {
        List<String> out = new ArrayList<>(List.of("$QMT4J_CONFIG", "$QMT_PROVIDER_CONFIG"));
        for (Path d : directories()) {
            out.add(d + "/{" + String.join(",", FILE_NAMES) + "}");
        }
        return String.join(", ", out);
    }

    /**
     * A discovered config file.
     *
     * @param path the file
     * @param why  how it was chosen ({@code --config}, {@code $QMT4J_CONFIG}, {@code found in DIR})
     */
    public record Found(Path path, String why) {}
}
