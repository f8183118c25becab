package dev.qmt4j.provider.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Pull then run: a QueryMT-style provider pulled from a local registry (oci://) answers a chat. */
class PulledProviderTest {
    @TempDir
    Path tmp;

    @Test
    void pullThenChat() {
        JsonMapper json = JsonMapper.builder().build();
        RegistryOptions options = RegistryOptions.builder().credentials(CredentialStore.anonymous()).proxySelector(null)
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build();
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE);
                OpenAiTestServer server = OpenAiTestServer.start()) {
            RegistryClient client = new RegistryClient(options);
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + registry.host() + "/querymt/qmt-openai:1.0");
            try (ImageTarget t = client.target(ref)) {
                ImagePackager.pushWasm(t, TestPlugins.path(TestPlugins.QMT_OPENAI), "1.0", Map.of());
            }
            PluginPuller puller = PluginPuller.builder().cache(PluginCache.open(tmp.resolve("cache")))
                    .sources(r -> ImageSources.open(r, client)).build();
            PullResult pulled = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true), PullListener.NONE);
            JsonNode cfg = json.createObjectNode().put("base_url", server.url() + "/v1").put("api_key", server.apiKey())
                    .put("model", OpenAiTestServer.MODEL_A);
            try (WasmProvider p = WasmProvider.builder(pulled.path()).config(cfg).build()) {
                JsonNode reply = p.chat(cfg, json.readTree("[{\"role\":\"user\",\"content\":\"from the registry\"}]"), null);
                assertEquals("Echo: from the registry", reply.get("text").stringValue());
            }
        }
    }
}
