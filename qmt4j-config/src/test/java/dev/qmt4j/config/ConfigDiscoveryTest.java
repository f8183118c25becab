package dev.qmt4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery order and the duplicate-name check. */
class ConfigDiscoveryTest {
    @TempDir
    Path dir;

    private Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
        return p;
    }

    @Test
    void discoveryOrderFollowsFlagThenVariablesThenDirectories() throws IOException {
        Path home = dir.resolve("home");
        Path cfgDir = dir.resolve("cfgdir");
        Path qmtHome = dir.resolve("qmthome");
        Map<String, String> env = new HashMap<>();
        ConfigDiscovery d = new ConfigDiscovery(env, home);
        assertTrue(d.find(Optional.empty()).isEmpty());

        Path inHome = touch(home.resolve(".qmt/extism_plugins.toml"));
        assertEquals(inHome, d.find(Optional.empty()).orElseThrow().path());
        // providers.* comes before plugins.toml in the same directory
        Path yml = touch(home.resolve(".qmt/providers.yml"));
        assertEquals(yml, d.find(Optional.empty()).orElseThrow().path());
        Path json = touch(home.resolve(".qmt/providers.json"));
        assertEquals(json, d.find(Optional.empty()).orElseThrow().path());

        Path inQmtHome = touch(qmtHome.resolve("plugins.toml"));
        env.put("QMT_HOME", qmtHome.toString());
        assertEquals(inQmtHome, new ConfigDiscovery(env, home).find(Optional.empty()).orElseThrow().path());

        // an empty QMT_CONFIG_DIR falls through to the next directory
        Files.createDirectories(cfgDir);
        env.put("QMT_CONFIG_DIR", cfgDir.toString());
        assertEquals(inQmtHome, new ConfigDiscovery(env, home).find(Optional.empty()).orElseThrow().path());
        Path inCfgDir = touch(cfgDir.resolve("providers.toml"));
        assertEquals(inCfgDir, new ConfigDiscovery(env, home).find(Optional.empty()).orElseThrow().path());

        env.put("QMT_PROVIDER_CONFIG", "/qmt/provider.toml");
        assertEquals(Path.of("/qmt/provider.toml"), new ConfigDiscovery(env, home).find(Optional.empty()).orElseThrow().path());
        env.put("QMT4J_CONFIG", "/qmt4j/config.json");
        ConfigDiscovery.Found f = new ConfigDiscovery(env, home).find(Optional.empty()).orElseThrow();
        assertEquals(Path.of("/qmt4j/config.json"), f.path());
        assertEquals("$QMT4J_CONFIG", f.why());
        assertEquals(Path.of("x.yaml"), new ConfigDiscovery(env, home).find(Optional.of(Path.of("x.yaml"))).orElseThrow().path());
    }

    @Test
    void blankVariablesAreIgnoredAndNothingFoundNamesTheSearch() {
        ConfigDiscovery d = new ConfigDiscovery(Map.of("QMT4J_CONFIG", " ", "QMT_PROVIDER_CONFIG", ""), dir);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> d.require(Optional.empty()));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(dir.resolve(".qmt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("extism_plugins.toml"), e.getMessage());
    }

    @Test
    void duplicateProviderNamesAreReportedWithBothLines() throws IOException {
        Path toml = dir.resolve("dup.toml");
        Files.writeString(toml, """
                [[providers]]
                name = "openai"
                path = "a.wasm"

                [[providers]]
                name = "openai"
                path = "b.wasm"
                """);
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> ConfigFile.load(toml));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(toml + ":6: providers[1].name: duplicate provider name 'openai'"), e.getMessage());
        assertTrue(e.getMessage().contains(toml + ":2"), e.getMessage());

        Path json = dir.resolve("dup.json");
        Files.writeString(json, "{\"providers\": [\n {\"name\": \"x\", \"path\": \"a.wasm\"},\n {\"name\": \"x\", \"path\": \"b.wasm\"}\n]}");
        Qmt4jException j = assertThrows(Qmt4jException.class, () -> ConfigFile.load(json));
        assertTrue(j.getMessage().startsWith(json + ":3: providers[1].name: duplicate"), j.getMessage());
    }

    @Test
    void environmentReferencesAreKeptVerbatim() throws IOException {
        Path yaml = dir.resolve("env.yaml");
        Files.writeString(yaml, """
                providers:
                  - name: openai
                    path: openai.wasm
                    config:
                      api_key: ${OPENAI_API_KEY}
                """);
        assertEquals("${OPENAI_API_KEY}", ConfigFile.load(yaml).providers().get(0).config().get("api_key"));
    }
}
