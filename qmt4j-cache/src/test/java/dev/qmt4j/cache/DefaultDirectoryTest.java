package dev.qmt4j.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultDirectoryTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void environmentOverrideWinsEverywhere() {
        Map<String, String> env = Map.of("QMT4J_CACHE_DIR", "/srv/qmt4j", "XDG_CACHE_HOME", "/xdg");
        assertEquals(Path.of("/srv/qmt4j"), PluginCache.defaultDirectory(env, "Linux", HOME));
        assertEquals(Path.of("/srv/qmt4j"), PluginCache.defaultDirectory(env, "Mac OS X", HOME));
        assertEquals(Path.of("/srv/qmt4j"), PluginCache.defaultDirectory(env, "Windows 11", HOME));
    }

    @Test
    void linuxUsesXdgCacheHomeOrDotCache() {
        assertEquals(Path.of("/xdg/qmt4j"), PluginCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/xdg"), "Linux", HOME));
        assertEquals(HOME.resolve(".cache/qmt4j"), PluginCache.defaultDirectory(Map.of(), "Linux", HOME));
        assertEquals(HOME.resolve(".cache/qmt4j"), PluginCache.defaultDirectory(Map.of("QMT4J_CACHE_DIR", " "), "FreeBSD", HOME));
    }

    @Test
    void relativeXdgCacheHomeIsIgnoredAsTheSpecRequires() {
        assertEquals(HOME.resolve(".cache/qmt4j"), PluginCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "rel"), "Linux", HOME));
    }

    @Test
    void macOsUsesLibraryCaches() {
        assertEquals(HOME.resolve("Library/Caches/qmt4j"), PluginCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/xdg"), "Mac OS X", HOME));
    }

    @Test
    void windowsUsesLocalAppData() {
        Path local = Path.of("C:\\Users\\ada\\AppData\\Local");
        assertEquals(local.resolve("qmt4j").resolve("cache"),
                PluginCache.defaultDirectory(Map.of("LOCALAPPDATA", local.toString()), "Windows 10", HOME));
        assertEquals(HOME.resolve("AppData").resolve("Local").resolve("qmt4j").resolve("cache"),
                PluginCache.defaultDirectory(Map.of(), "Windows Server 2022", HOME));
    }
}
