package dev.qmt4j.cache;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which cache directory qmt4j uses, decided in one place for the CLI ({@code qmt4j pull}, {@code doctor}, ...)
 * and the plugin host ({@code PluginRegistry}), so both always open the same cache (docs/cli.md).
 */
public final class CacheDirectory {
    private CacheDirectory() {}

    /**
     * The cache directory, first of: {@code explicit} (the CLI's {@code --cache-dir}, the host builder's
     * {@code cacheDir}); {@code QMT4J_CACHE_DIR} in {@code env} when not blank; {@code configured} (the
     * config file's {@code [oci] cache_dir}, already resolved against the file's directory); the platform's
     * per-user cache directory ({@link PluginCache#defaultDirectory}).
     *
     * @param explicit   a directory given directly, or {@code null}
     * @param configured {@code [oci] cache_dir}
     * @param env        the environment (usually {@code System.getenv()})
     * @param osName     the {@code os.name} system property
     * @param home       the user's home directory
     */
    public static Path resolve(Path explicit, Optional<Path> configured, Map<String, String> env, String osName, Path home) {
        if (explicit != null) {
            return explicit;
        }
        String override = env.get("QMT4J_CACHE_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return configured.orElseGet(() -> PluginCache.defaultDirectory(env, osName, home));
    }
}
