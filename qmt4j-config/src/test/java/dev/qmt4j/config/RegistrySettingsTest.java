package dev.qmt4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [[oci.registry]]} and {@code [[oci.registry.mirror]]}, in the three formats, with file:line errors. */
class RegistrySettingsTest {
    @TempDir
    Path dir;

    private static final List<RegistrySettings> EXPECTED = List.of(
            new RegistrySettings("ghcr.io/querymt", Optional.of("ghcr.io/querymt"), false, true, List.of(
                    new RegistrySettings.MirrorSettings("mirror.corp:5000/ghcr/querymt", "digest-only", true),
                    new RegistrySettings.MirrorSettings("cache.corp/ghcr/querymt", "all", false))),
            new RegistrySettings("docker.io", Optional.empty(), false, false, List.of()));

    private OciSettings load(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return ConfigFile.load(f).oci();
    }

    @Test
    void toml() throws IOException {
        OciSettings oci = load("p.toml", """
                [oci]
                refresh = "1h"

                [[oci.registry]]
                prefix = "ghcr.io/querymt"
                location = "ghcr.io/querymt"
                blocked = true
                [[oci.registry.mirror]]
                location = "mirror.corp:5000/ghcr/querymt"
                pull-from-mirror = "digest-only"
                insecure = true
                [[oci.registry.mirror]]
                location = "cache.corp/ghcr/querymt/"

                [[oci.registry]]
                prefix = "docker.io"
                """);
        assertEquals(EXPECTED, oci.registries());
    }

    @Test
    void jsonAndYaml() throws IOException {
        assertEquals(EXPECTED, load("p.json", """
                {"oci": {"registry": [
                  {"prefix": "ghcr.io/querymt", "location": "ghcr.io/querymt", "blocked": true, "mirror": [
                    {"location": "mirror.corp:5000/ghcr/querymt", "pull-from-mirror": "digest-only", "insecure": true},
                    {"location": "cache.corp/ghcr/querymt"}]},
                  {"prefix": "docker.io"}]}}
                """).registries());
        assertEquals(EXPECTED, load("p.yaml", """
                oci:
                  registry:
                    - prefix: ghcr.io/querymt
                      location: ghcr.io/querymt
                      blocked: true
                      mirror:
                        - location: mirror.corp:5000/ghcr/querymt
                          pull-from-mirror: digest-only
                          insecure: true
                        - location: cache.corp/ghcr/querymt
                    - prefix: docker.io
                """).registries());
    }

    @Test
    void errorsNameFileLineAndKey() throws IOException {
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> load("bad.toml", """
                [[oci.registry]]
                prefix = "ghcr.io"
                [[oci.registry.mirror]]
                location = "m1.corp"
                [[oci.registry.mirror]]
                location = "m2.corp"
                pull-from-mirror = "digests"
                """));
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("bad.toml:7: oci.registry[0].mirror[1].pull-from-mirror: expected 'all', 'digest-only'"),
                e.getMessage());

        e = assertThrows(Qmt4jException.class, () -> load("bad2.toml", """
                [[oci.registry]]
                prefix = "ghcr.io"
                [[oci.registry.mirror]]
                location = "https://m1.corp"
                """));
        assertTrue(e.getMessage().contains("bad2.toml:4: oci.registry[0].mirror[0].location: 'https://m1.corp' is not a registry location"),
                e.getMessage());

        e = assertThrows(Qmt4jException.class, () -> load("bad3.toml", """
                [[oci.registry]]
                prefix = "ghcr.io"
                mirrors = []
                """));
        assertTrue(e.getMessage().contains("bad3.toml:3: oci.registry[0].mirrors: unknown key 'mirrors'"), e.getMessage());

        e = assertThrows(Qmt4jException.class, () -> load("bad4.yaml", """
                oci:
                  registry:
                    - prefix: ghcr.io
                    - prefix: ghcr.io
                """));
        assertTrue(e.getMessage().contains("bad4.yaml:4: oci.registry[1].prefix: duplicate prefix 'ghcr.io'"), e.getMessage());
    }
}
