package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.ImageRef;
import dev.qmt4j.oci.ImageSources;
import dev.qmt4j.oci.ImageTarget;
import dev.qmt4j.oci.Platform;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.provider.wasm.WasmProvider;
import dev.qmt4j.pull.PluginPuller;
import dev.qmt4j.pull.PullListener;
import dev.qmt4j.pull.PullRequest;
import dev.qmt4j.pull.PullResult;
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 5 item 4 end to end: the C example provider pushed as a native image index (this machine's
 * platform, plus linux/arm64 when cross-built) with a wasi/wasm fallback, pulled from a real
 * registry: native on this machine, Wasm with platform wasi/wasm.
 */
class NativeOciTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void pushIndexThenPullNativeHereAndWasmForWasiWasm() {
        RegistryOptions options = RegistryOptions.builder().credentials(CredentialStore.anonymous()).proxySelector(null)
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build();
        Map<Platform, Path> libs = new LinkedHashMap<>();
        libs.put(Platform.host(), NativeLibs.lib(NativeLibs.ECHO));
        Path arm = NativeLibs.dir(Platform.of("linux", "arm64")).resolve("libecho_provider.so");
        if (!Platform.host().equals(Platform.of("linux", "arm64")) && Files.isRegularFile(arm)) libs.put(Platform.of("linux", "arm64"), arm);

        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE); OpenAiTestServer openai = OpenAiTestServer.start()) {
            RegistryClient client = new RegistryClient(options);
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + registry.host() + "/qmt4j/echo-native:1.0");
            try (ImageTarget t = client.target(ref)) {
                ImagePackager.pushNativeIndex(t, libs, Optional.of(TestPlugins.path(TestPlugins.QMT_OPENAI)), "1.0",
                        Map.of("org.opencontainers.image.title", "echo-native"));
            }
            PluginPuller puller = PluginPuller.builder().cache(PluginCache.open(tmp.resolve("cache")))
                    .sources(r -> ImageSources.open(r, client)).build();

            PullResult nativePull = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true), PullListener.NONE);
            assertEquals(PluginType.NATIVE, nativePull.type());
            assertEquals(Optional.of(Platform.host()), nativePull.platform());
            JsonNode cfg = JSON.createObjectNode().put("model", "echo-1");
            try (NativeProvider p = NativeProvider.load(nativePull.path())) {
                assertEquals("echo-native", p.name());
                JsonNode reply = p.chat(p.fromConfig(cfg), NativeProviderTest.user("from the registry"), null);
                assertEquals("Echo: from the registry", reply.get("text").stringValue());
            }

            PullResult wasmPull = puller.pull(new PullRequest(ref, Optional.of(Platform.WASI_WASM), Optional.empty(), false, true),
                    PullListener.NONE);
            assertEquals(PluginType.WASM, wasmPull.type());
            assertEquals(Optional.of(Platform.WASI_WASM), wasmPull.platform());
            JsonNode wcfg = JSON.createObjectNode().put("base_url", openai.url() + "/v1").put("api_key", openai.apiKey())
                    .put("model", OpenAiTestServer.MODEL_A);
            try (WasmProvider w = WasmProvider.builder(wasmPull.path()).config(wcfg).build()) {
                JsonNode reply = w.chat(wcfg, JSON.readTree("[{\"role\":\"user\",\"content\":\"from the registry\"}]"), null);
                assertEquals("Echo: from the registry", reply.get("text").stringValue());
            }
        }
    }
}
