package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Native plugins from OCI end to end: the C example provider pushed as a native image index (this machine's
 * platform, plus linux/arm64 when cross-built) with the Wasm build of the same C source as its
 * wasi/wasm fallback, pulled from a real registry: native on this machine, Wasm with platform
 * wasi/wasm, and the same answer from both.
 */
class NativeOciTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void pushIndexThenPullNativeHereAndWasmForWasiWasm() throws Exception {
        RegistryOptions options = RegistryOptions.builder().credentials(CredentialStore.anonymous()).proxySelector(null)
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build();
        Map<Platform, Path> libs = new LinkedHashMap<>();
        libs.put(Platform.host(), NativeLibs.lib(NativeLibs.ECHO));
        Path arm = NativeLibs.dir(Platform.of("linux", "arm64")).resolve("libecho_provider.so");
        if (!Platform.host().equals(Platform.of("linux", "arm64")) && Files.isRegularFile(arm)) libs.put(Platform.of("linux", "arm64"), arm);

        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE)) {
            RegistryClient client = new RegistryClient(options);
            RegistryRef ref = (RegistryRef) ImageRef.parse("oci://" + registry.host() + "/qmt4j/echo-native:1.0");
            try (ImageTarget t = client.target(ref)) {
                ImagePackager.pushNativeIndex(t, libs, Optional.of(NativeLibs.wasm(NativeLibs.ECHO)), "1.0",
                        Map.of("org.opencontainers.image.title", "echo-native"));
            }
            PluginPuller puller = PluginPuller.builder().cache(PluginCache.open(tmp.resolve("cache")))
                    .sources(r -> ImageSources.open(r, client)).build();

            PullResult nativePull = puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true), PullListener.NONE);
            assertEquals(PluginType.NATIVE, nativePull.type());
            assertEquals(Optional.of(Platform.host()), nativePull.platform());
            JsonNode cfg = JSON.createObjectNode().put("model", "echo-1");
            JsonNode nativeReply;
            try (NativeProvider p = NativeProvider.load(nativePull.path())) {
                assertEquals("echo-native", p.name());
                nativeReply = p.chat(p.fromConfig(cfg), NativeProviderTest.user("from the registry"), null);
                assertEquals("Echo: from the registry", nativeReply.get("text").stringValue());
            }

            PullResult wasmPull = puller.pull(new PullRequest(ref, Optional.of(Platform.WASI_WASM), Optional.empty(), false, true),
                    PullListener.NONE);
            assertEquals(PluginType.WASM, wasmPull.type());
            assertEquals(Optional.of(Platform.WASI_WASM), wasmPull.platform());
            assertArrayEquals(Files.readAllBytes(NativeLibs.wasm(NativeLibs.ECHO)), Files.readAllBytes(wasmPull.path()));
            try (WasmProvider w = WasmProvider.builder(wasmPull.path()).config(cfg).build()) {
                assertEquals("echo-native", w.name());
                assertEquals(nativeReply, w.chat(w.fromConfig(cfg), NativeProviderTest.user("from the registry"), null));
            }
            // the native entry is still cached apart from the Wasm one
            assertEquals(PluginType.NATIVE, puller.pull(new PullRequest(ref, Optional.empty(), Optional.empty(), false, true),
                    PullListener.NONE).type());
        }
    }
}
