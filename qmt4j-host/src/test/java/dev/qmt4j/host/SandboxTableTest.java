package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code [providers.sandbox]} through the registry (docs/sandbox.md): the policy is the user's, not
 * what a plugin's from_config returns; a strict-schema plugin never sees the sandbox keys; only the
 * listed environment is visible; {@code api_key_name} reads only {@code *_API_KEY} or listed names.
 */
class SandboxTableTest {
    @TempDir
    Path tmp;
    private OpenAiTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = OpenAiTestServer.start();
        Files.copy(TestPlugins.path(TestPlugins.QMT_HOSTILE), tmp.resolve("hostile.wasm"));
        Files.copy(TestPlugins.path(TestPlugins.QMT_STRICT_SCHEMA), tmp.resolve("strict.wasm"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PluginRegistry registry(String toml, Map<String, String> env, String provider, UnaryOperator<Sandbox> adjust) throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, toml);
        PluginRegistry.Builder b = PluginRegistry.builder().config(cfg).env(env).home(tmp).cacheDir(tmp.resolve("cache"));
        if (adjust != null) b.sandbox(provider, adjust);
        return b.build();
    }

    private String hostile(String sandbox) {
        return "[[providers]]\nname = \"h\"\npath = \"hostile.wasm\"\n[providers.config]\nmodel = \"x\"\napi_key = \"unused\"\nport = \""
                + server.port() + "\"\n" + sandbox;
    }

    private static JsonNode user(String text) {
        return Jsons.MAPPER.createArrayNode().add(Jsons.MAPPER.createObjectNode().put("role", "user").put("content", text));
    }

    @Test
    void aHostilePluginsFromConfigDoesNotWidenItsSandbox() throws Exception {
        try (PluginRegistry r = registry(hostile(""), Map.of(), null, null)) {
            ProviderHandle h = r.builder("h").build();
            assertEquals(true, h.config().get("allow_private_networks").booleanValue(), "the plugin's answer is what calls send");
            assertEquals(List.of("*"), Jsons.MAPPER.convertValue(h.config().get("allowed_hosts"), List.class));
            for (ProviderHandle handle : List.of(h, r.require("h"))) {
                ProviderException e = assertThrows(ProviderException.class, () -> handle.chat(user("hi"), null));
                assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
                assertTrue(e.getMessage().contains("sandbox: host '127.0.0.1' is not allowed for this provider (allowed: nothing)"), e.getMessage());
            }
            assertEquals(Sandbox.defaults(), r.sandbox("h"));
        }
        assertEquals(List.of(), server.requests(), "nothing reached the server");
    }

    @Test
    void whatTheUserOrApplicationAllowsIsReached() throws Exception {
        try (PluginRegistry r = registry(hostile("[providers.sandbox]\nallowed_hosts = [\"127.0.0.1\"]\n"), Map.of(), null, null)) {
            assertTrue(r.builder("h").build().chat(user("hi"), null).get("text").stringValue().startsWith("the host answered"));
        }
        try (PluginRegistry r = registry(hostile(""), Map.of(), "h", s -> s.withAllowedHosts(List.of("127.0.0.1")))) {
            assertEquals(List.of("127.0.0.1"), r.sandbox("h").allowedHosts());
            assertTrue(r.builder("h").build().chat(user("hi"), null).get("text").stringValue().startsWith("the host answered"));
        }
        assertEquals(2, server.requests().size());
        assertEquals("/latest/meta-data/iam", server.requests().get(0).path());
    }

    @Test
    void theSandboxTableFillsInDefaultsAndItsLimits() throws Exception {
        String toml = hostile("[providers.sandbox]\nenv = [\"OLLAMA_HOST\"]\ntimeout = \"90s\"\nmax_memory_pages = 512\nmax_http_response_bytes = 1024\n");
        try (PluginRegistry r = registry(toml, Map.of(), null, null)) {
            Sandbox s = r.sandbox("h");
            assertEquals(new Sandbox(List.of(), false, List.of("OLLAMA_HOST"), Duration.ofSeconds(90), 512, 1024), s);
        }
    }

    @Test
    void thePluginSeesOnlyTheListedEnvironment() throws Exception {
        Map<String, String> env = Map.of("OLLAMA_HOST", "http://gpu.lan:11434", "EXTRA", "e", "HOME", "/root", "AWS_SECRET_ACCESS_KEY", "s");
        String toml = hostile("probe = \"OLLAMA_HOST,EXTRA,HOME,AWS_SECRET_ACCESS_KEY\"\n[providers.sandbox]\nenv = [\"OLLAMA_HOST\"]\n");
        try (PluginRegistry r = registry(toml, env, "h", s -> s.withEnv(List.of("EXTRA")))) {
            assertEquals(List.of("x", "http://gpu.lan:11434", "e", "<missing>", "<missing>"), r.listModels("h"));
        }
    }

    @Test
    void aStrictSchemaPluginLoadsAndChatsWithSandboxAllowedHosts() throws Exception {
        String toml = "[[providers]]\nname = \"strict\"\npath = \"strict.wasm\"\n[providers.config]\nbase_url = \"http://localhost:"
                + server.port() + "/v1\"\nmodel = \"" + OpenAiTestServer.MODEL_A + "\"\n"
                + "[providers.sandbox]\nallowed_hosts = [\"127.0.0.1\", \"api.example.com\"]\nallow_private_networks = false\n";
        try (PluginRegistry r = registry(toml, Map.of("OPENAI_API_KEY", server.apiKey()), null, null)) {
            ProviderHandle h = r.builder("strict").build();
            assertEquals("Echo: hi", h.chat(user("hi"), null).get("text").stringValue());
            assertTrue(h.config().get("allowed_hosts") == null, "the plugin never sees the sandbox");
            // The schema really is strict: an unknown plugin key is refused by it.
            ProviderException e = assertThrows(ProviderException.class, () -> r.builder("strict").parameter("colour", "red").build());
            assertEquals(ProviderErrorKind.INVALID_CONFIG, e.providerKind());
            assertTrue(e.getMessage().contains("colour"), e.getMessage());
            // And a sandbox key given as plugin config is refused before the schema sees it.
            e = assertThrows(ProviderException.class, () -> r.builder("strict").parameter("allowed_hosts", List.of("*")));
            assertTrue(e.getMessage().contains("'allowed_hosts' is a sandbox setting"), e.getMessage());
        }
    }

    @Test
    void apiKeyNameIsReadOnlyForApiKeyNamesOrListedVariables() throws Exception {
        String noKey = "[[providers]]\nname = \"h\"\npath = \"hostile.wasm\"\n[providers.config]\nmodel = \"x\"\n";
        Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", "aws-secret", "HOSTILE_API_KEY", "k1");
        try (PluginRegistry r = registry(noKey, env, null, null)) {
            ProviderException e = assertThrows(ProviderException.class, () -> r.builder("h").build());
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
            assertTrue(e.getMessage().contains("environment variable 'AWS_SECRET_ACCESS_KEY'"), e.getMessage());
            assertTrue(e.hint().contains("add env = [\"AWS_SECRET_ACCESS_KEY\"] to [providers.sandbox]"), e.hint());
            assertThrows(ProviderException.class, () -> r.require("h"));
        }
        try (PluginRegistry r = registry(noKey + "[providers.sandbox]\nenv = [\"AWS_SECRET_ACCESS_KEY\"]\n", env, null, null)) {
            r.builder("h").build(); // no longer refused
            assertEquals("aws-secret", r.require("h").config().get("api_key").stringValue(), "the user listed it");
        }
        try (PluginRegistry r = registry(noKey + "api_key_name = \"HOSTILE_API_KEY\"\n", env, null, null)) {
            assertEquals("k1", r.require("h").config().get("api_key").stringValue(), "a *_API_KEY name is read");
        }
    }
}
