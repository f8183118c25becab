package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one order in which the CLI and the plugin host pick the cache directory. */
class CacheDirectoryTest {
    private static final Path HOME = Path.of("/home/u");
    private static final Map<String, String> ENV = Map.of("QMT4J_CACHE_DIR", "/env/cache");

    @Test
    void explicitThenEnvironmentThenConfigThenPlatformDefault() {
        Optional<Path> configured = Optional.of(Path.of("/cfg/cache"));
        assertEquals(Path.of("/flag"), CacheDirectory.resolve(Path.of("/flag"), configured, ENV, "Linux", HOME));
        assertEquals(Path.of("/env/cache"), CacheDirectory.resolve(null, configured, ENV, "Linux", HOME));
        assertEquals(Path.of("/cfg/cache"), CacheDirectory.resolve(null, configured, Map.of(), "Linux", HOME));
        assertEquals(HOME.resolve(".cache/qmt4j"), CacheDirectory.resolve(null, Optional.empty(), Map.of(), "Linux", HOME));
        assertEquals(HOME.resolve("Library/Caches/qmt4j"), CacheDirectory.resolve(null, Optional.empty(), Map.of(), "Mac OS X", HOME));
    }

    /** A blank {@code QMT4J_CACHE_DIR} is unset, not the working directory. */
    @Test
    void blankEnvironmentVariableIsIgnored() {
        assertEquals(Path.of("/cfg/cache"),
                CacheDirectory.resolve(null, Optional.of(Path.of("/cfg/cache")), Map.of("QMT4J_CACHE_DIR", " "), "Linux", HOME));
    }
}
