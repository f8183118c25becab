package dev.qmt4j.config;

import static dev.qmt4j.config.ConfigErrors.assertConfigErrorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.Qmt4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [providers.sandbox]}: read in all three formats, kept out of {@code [providers.config]}. */
class SandboxSettingsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertSandbox(ConfigFile c) {
        ProviderEntry e = c.providers().get(0);
        SandboxSettings s = e.sandbox();
        assertEquals(List.of("*.corp", "gpu.lan"), s.allowedHosts());
        assertTrue(s.allowPrivateNetworks());
        assertEquals(List.of("OLLAMA_HOST"), s.env());
        assertEquals(Duration.ofSeconds(90), s.timeout().orElseThrow());
        assertEquals(2048, s.maxMemoryPages().getAsInt());
        assertEquals(1_000_000L, s.maxHttpResponseBytes().getAsLong());
        assertEquals(Map.of("model", "llama3"), e.config(), "the sandbox is not part of the plugin's config");
    }

    @Test
    void readsTheSandboxTableInTomlJsonAndYaml() throws IOException {
        assertSandbox(ConfigFile.load(write("p.toml", """
                [[providers]]
                name = "ollama"
                path = "ollama.wasm"
                [providers.config]
                model = "llama3"
                [providers.sandbox]
                allowed_hosts = ["*.corp", "gpu.lan"]
                allow_private_networks = true
                env = ["OLLAMA_HOST"]
                timeout = "90s"
                max_memory_pages = 2048
                max_http_response_bytes = 1000000
                """)));
        assertSandbox(ConfigFile.load(write("p.json", """
                {"providers": [{"name": "ollama", "path": "ollama.wasm", "config": {"model": "llama3"},
                  "sandbox": {"allowed_hosts": ["*.corp", "gpu.lan"], "allow_private_networks": true,
                    "env": ["OLLAMA_HOST"], "timeout": 90, "max_memory_pages": 2048, "max_http_response_bytes": 1000000}}]}
                """)));
        assertSandbox(ConfigFile.load(write("p.yaml", """
                providers:
                  - name: ollama
                    path: ollama.wasm
                    config:
                      model: llama3
                    sandbox:
                      allowed_hosts: ["*.corp", "gpu.lan"]
                      allow_private_networks: true
                      env: [OLLAMA_HOST]
                      timeout: 1m30s
                      max_memory_pages: 2048
                      max_http_response_bytes: 1000000
                """)));
    }

    @Test
    void noTableMeansNothingAllowedAndDefaultLimits() throws IOException {
        SandboxSettings s = ConfigFile.load(write("p.toml", "[[providers]]\nname = \"a\"\npath = \"a.wasm\"\n"))
                .providers().get(0).sandbox();
        assertEquals(SandboxSettings.none(), s);
        assertFalse(s.allowPrivateNetworks());
        assertTrue(s.timeout().isEmpty());
    }

    @Test
    void aSandboxKeyInsideConfigIsAnErrorNamingTheSandboxTableWithFileAndLine() throws IOException {
        Path toml = write("p.toml", """
                [[providers]]
                name = "a"
                path = "a.wasm"
                [providers.config]
                model = "x"
                allowed_hosts = ["*"]
                """);
        Qmt4jException e = assertConfigErrorAt(toml, ":6: providers[0].config.allowed_hosts: ");
        assertTrue(e.getMessage().contains("[providers.config]"), e.getMessage());
        assertTrue(e.hint().contains("[providers.sandbox]"), e.hint());

        Path json = write("p.json", "{\"providers\": [{\"name\": \"a\", \"path\": \"a.wasm\",\n"
                + "  \"config\": {\"model\": \"x\",\n    \"allow_private_networks\": true}}]}\n");
        assertConfigErrorAt(json, ":3: providers[0].config.allow_private_networks: ");

        Path yaml = write("p.yaml", "providers:\n  - name: a\n    path: a.wasm\n    config:\n      max_memory_pages: 9\n");
        assertConfigErrorAt(yaml, ":5: providers[0].config.max_memory_pages: ");
    }

    @Test
    void badSandboxValuesAreConfigErrorsWithTheirPath() throws IOException {
        String head = "[[providers]]\nname = \"a\"\npath = \"a.wasm\"\n[providers.sandbox]\n";
        for (var c : Map.of(
                "allow_private_networks = \"yes\"", "providers[0].sandbox.allow_private_networks: expected true or false",
                "allowed_hosts = \"*\"", "providers[0].sandbox.allowed_hosts: expected a list of strings",
                "env = [\"A=B\"]", "providers[0].sandbox.env[0]: 'A=B' is not an environment variable name",
                "timeout = \"soon\"", "providers[0].sandbox.timeout: expected a positive duration",
                "max_memory_pages = 0", "providers[0].sandbox.max_memory_pages: expected a whole number from 1 to 65536",
                "allowed_host = []", "providers[0].sandbox.allowed_host: unknown key 'allowed_host'").entrySet()) {
            assertConfigErrorAt(write("bad.toml", head + c.getKey() + "\n"), ":5: " + c.getValue());
        }
    }

    @Test
    void theExampleConfigsInTheThreeFormatsAreTheSame() {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        ConfigFile toml = ConfigFile.load(examples.resolve("providers.toml"));
        for (String other : List.of("providers.json", "providers.yaml")) {
            ConfigFile c = ConfigFile.load(examples.resolve(other));
            assertEquals(toml.providers(), c.providers(), other);
            assertEquals(toml.oci(), c.oci(), other);
        }
        SandboxSettings s = toml.providers().get(0).sandbox();
        assertEquals(Duration.ofSeconds(300), s.timeout().orElseThrow());
        assertEquals(1024, s.maxMemoryPages().getAsInt());
        assertEquals(52_428_800L, s.maxHttpResponseBytes().getAsLong());
    }
}
