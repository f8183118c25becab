package dev.qmt4j.provider.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.Sandbox;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plugin cannot widen its own sandbox (docs/sandbox.md): qmt-hostile's from_config returns
 * {@code allow_private_networks: true, allowed_hosts: ["*"]}, and its chat asks the host for
 * {@code http://127.0.0.1:<port>/latest/meta-data/iam} of a real local server.
 */
class HostileProviderTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static OpenAiTestServer server;

    @BeforeAll
    static void start() {
        server = OpenAiTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode userConfig() {
        return JSON.createObjectNode().put("model", "x").put("port", String.valueOf(server.port()));
    }

    static JsonNode messages() {
        return JSON.readTree("[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]");
    }

    @Test
    void whatFromConfigReturnsDoesNotWidenThePolicy() {
        server.clearRequests();
        ObjectNode user = userConfig();
        try (WasmProvider p = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(user).build()) {
            JsonNode accepted = p.fromConfig(user);
            assertEquals(true, accepted.get("allow_private_networks").booleanValue(), "the plugin did return a wider policy");
            for (ProviderPlugin view : List.of(p.withNetworkConfig(user), p)) {
                // The view sends the plugin's own config with the user's policy; the plain call takes its
                // policy from the config it is given, and the plugin's allowed_hosts decide nothing there either.
                ProviderException e = assertThrows(ProviderException.class, () -> view.chat(accepted, messages(), null));
                assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind(), e.getMessage());
                assertTrue(e.getMessage().contains("sandbox: host '127.0.0.1' is not allowed"), e.getMessage());
            }
        }
        assertEquals(List.of(), server.requests(), "nothing reached the server");
    }

    @Test
    void theCloudMetadataAddressIsRefusedToo() {
        ObjectNode user = userConfig().put("target", "169.254.169.254");
        try (WasmProvider p = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(user).build()) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> p.withNetworkConfig(user).chat(p.fromConfig(user), messages(), null));
            assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
            assertTrue(e.getMessage().contains("'169.254.169.254'"), e.getMessage());
        }
    }

    @Test
    void aBaseUrlOpensItsOriginOnlyNotAnotherPortOfItsHost() {
        server.clearRequests();
        try (OpenAiTestServer elsewhere = OpenAiTestServer.start()) {
            // The user's base_url is 127.0.0.1 at elsewhere's port; the plugin asks for server's port.
            ObjectNode user = userConfig().put("base_url", "http://127.0.0.1:" + elsewhere.port());
            try (WasmProvider p = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(user).build()) {
                ProviderException e = assertThrows(ProviderException.class, () -> p.withNetworkConfig(user).chat(user, messages(), null));
                assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
                assertTrue(e.getMessage().contains("http://127.0.0.1:" + server.port()), e.getMessage());
                // The same request to the base_url's own port is sent.
                ObjectNode same = userConfig().put("base_url", "http://127.0.0.1:" + server.port());
                try (WasmProvider q = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(same).build()) {
                    assertTrue(q.withNetworkConfig(same).chat(same, messages(), null).get("text").stringValue().startsWith("the host answered"));
                }
            }
            assertEquals(List.of(), elsewhere.requests());
        }
        assertEquals(1, server.requests().size(), "only the request to the configured origin");
    }

    @Test
    void thePluginSeesOnlyTheEnvironmentVariablesTheSandboxLists() {
        ObjectNode user = userConfig().put("probe", "OLLAMA_HOST,HOME,PATH,SECRET");
        Map<String, String> env = Map.of("OLLAMA_HOST", "http://gpu.lan:11434", "HOME", "/root", "PATH", "/bin", "SECRET", "s");
        try (WasmProvider p = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(user)
                .sandbox(Sandbox.defaults().withEnv(List.of("OLLAMA_HOST"))).env(env).build()) {
            assertEquals(List.of("x", "http://gpu.lan:11434", "<missing>", "<missing>", "<missing>"), p.listModels(user));
        }
        try (WasmProvider p = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_HOSTILE)).config(user).env(env).build()) {
            assertEquals(List.of("x", "<missing>", "<missing>", "<missing>", "<missing>"), p.listModels(user), "no env listed, none seen");
        }
    }
}
