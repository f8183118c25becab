package dev.qmt4j.config;

import static dev.qmt4j.config.ConfigErrors.assertConfigErrorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [providers.follow]}: read in all three formats, errors with file and line, unknown keys refused. */
class FollowSettingsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsTheFollowTableInTomlJsonAndYaml() throws IOException {
        FollowSettings expected = new FollowSettings(Duration.ofHours(6), Duration.ofMinutes(30));
        ConfigFile toml = ConfigFile.load(write("p.toml", """
                [[providers]]
                name = "openai"
                path = "oci://ghcr.io/querymt/openai:latest"
                [providers.follow]
                every = "6h"
                jitter = "30m"
                """));
        assertEquals(Optional.of(expected), toml.providers().get(0).follow());
        assertEquals(Map.of(), toml.providers().get(0).config(), "the follow table is not part of the plugin's config");
        ConfigFile json = ConfigFile.load(write("p.json", """
                {"providers": [{"name": "openai", "path": "oci://ghcr.io/querymt/openai:latest",
                  "follow": {"every": 21600, "jitter": "30m"}}]}
                """));
        assertEquals(Optional.of(expected), json.providers().get(0).follow());
        ConfigFile yaml = ConfigFile.load(write("p.yaml", """
                providers:
                  - name: openai
                    path: oci://ghcr.io/querymt/openai:latest
                    follow:
                      every: 6h
                      jitter: 30m
                """));
        assertEquals(Optional.of(expected), yaml.providers().get(0).follow());
    }

    @Test
    void jitterDefaultsToATenthOfEveryAndZeroTurnsItOff() throws IOException {
        String head = "[[providers]]\nname = \"a\"\npath = \"oci://r.example/a:1\"\n[providers.follow]\n";
        assertEquals(Optional.of(new FollowSettings(Duration.ofMinutes(30), Duration.ofMinutes(3))),
                ConfigFile.load(write("a.toml", head + "every = \"30m\"\n")).providers().get(0).follow());
        assertEquals(Optional.of(new FollowSettings(Duration.ofMinutes(30), Duration.ZERO)),
                ConfigFile.load(write("b.toml", head + "every = \"30m\"\njitter = \"0s\"\n")).providers().get(0).follow());
        assertEquals(Optional.empty(),
                ConfigFile.load(write("c.toml", "[[providers]]\nname = \"a\"\npath = \"oci://r.example/a:1\"\n"))
                        .providers().get(0).follow());
    }

    @Test
    void badFollowTablesAreConfigErrorsWithFileLineAndPath() throws IOException {
        String head = "[[providers]]\nname = \"a\"\npath = \"oci://r.example/a:1\"\n[providers.follow]\n";
        for (var c : Map.of(
                "every = \"soon\"", ":5: providers[0].follow.every: expected a positive duration",
                "every = 0", ":5: providers[0].follow.every: expected a positive duration",
                "every = \"1h\"\njitter = \"-1m\"", ":6: providers[0].follow.jitter: expected a positive duration",
                "jitter = \"1m\"", ":4: providers[0].follow: missing key 'every'",
                "every = \"1h\"\ninterval = \"2h\"", ":6: providers[0].follow.interval: unknown key 'interval'").entrySet()) {
            assertConfigErrorAt(write("bad.toml", head + c.getKey() + "\n"), c.getValue());
        }
        Path json = write("bad.json", "{\"providers\": [{\"name\": \"a\", \"path\": \"oci://r.example/a:1\",\n"
                + "  \"follow\": {\"every\": \"1h\",\n    \"evry\": \"2h\"}}]}\n");
        assertConfigErrorAt(json, ":3: providers[0].follow.evry: unknown key");
        Path yaml = write("bad.yaml", "providers:\n  - name: a\n    path: oci://r.example/a:1\n    follow:\n      every: never\n");
        assertConfigErrorAt(yaml, ":5: providers[0].follow.every: expected a positive duration");
    }

    @Test
    void onlyAProviderNamedByATagCanFollowIt() throws IOException {
        for (String path : new String[] {"a.wasm", "oci://r.example/a@sha256:" + "0".repeat(64)}) {
            Path f = write("p.toml", "[[providers]]\nname = \"a\"\npath = \"" + path + "\"\n[providers.follow]\nevery = \"1h\"\n");
            assertConfigErrorAt(f, ":4: providers[0].follow: only an OCI provider named by a tag");
        }
    }
}
