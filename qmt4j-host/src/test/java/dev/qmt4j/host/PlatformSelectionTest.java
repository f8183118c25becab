package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
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
import dev.qmt4j.testkit.RegistryServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which index entry an OCI provider is pulled for: this machine's (falling back to wasi/wasm), the
 * provider's {@code platform} key, or {@link PluginRegistry.Builder#platform}, which overrides the
 * key. An explicit platform never falls back. The index offers linux/s390x (a library this machine
 * cannot run) and wasi/wasm.
 */
class PlatformSelectionTest {
    private static final Platform RISCV = Platform.of("linux", "riscv64");
    private static RegistryServer registry;
    private static RegistryRef ref;

    @TempDir
    Path tmp;

    @BeforeAll
    static void publish() throws Exception {
        registry = RegistryServer.start(RegistryServer.Auth.NONE);
        RegistryClient client = new RegistryClient(RegistryOptions.builder().credentials(CredentialStore.anonymous())
                .proxySelector(null).connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(20)).build());
        ref = (RegistryRef) ImageRef.parse("oci://" + registry.host() + "/plugins/multi:1.0");
        Path lib = Files.createTempFile("libs390x", ".so");
        Files.writeString(lib, "\u007fELF not for this machine");
        try (ImageTarget t = ImageSources.openTarget(ref, client)) {
            ImagePackager.pushNativeIndex(t, Map.of(Platform.of("linux", "s390x"), lib),
                    Optional.of(TestPlugins.path(TestPlugins.QMT_OPENAI)), "1.0", Map.of());
        }
        Files.delete(lib);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private PluginRegistry.Builder config(String platformLine) throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "multi"
                path = "%s"
                %s

                [oci]
                insecure_skip_signature = true
                """.formatted(ref, platformLine));
        return PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("cache"));
    }

    private static PluginType loadedType(PluginRegistry r) {
        LoadResult result = r.load("multi");
        return assertInstanceOf(LoadResult.Loaded.class, result, result.toString()).type();
    }

    /** The PLATFORM failure: names the provider and config file once, keeps the offered platforms. */
    private ProviderLoadException failure(PluginRegistry r) {
        LoadResult result = r.load("multi");
        ProviderLoadException e = assertInstanceOf(ProviderLoadException.class,
                assertInstanceOf(LoadResult.Failed.class, result).error());
        assertEquals(ErrorKind.PLATFORM, e.kind(), e.getMessage());
        Path cfg = tmp.resolve("providers.toml");
        assertEquals("provider 'multi' in " + cfg + ": no plugin for linux/riscv64 in index; it offers: linux/s390x, wasi/wasm",
                e.getMessage());
        assertEquals("no plugin for linux/riscv64 in index; it offers: linux/s390x, wasi/wasm", e.reason());
        assertEquals("multi", e.provider());
        assertEquals(cfg, e.configFile());
        assertInstanceOf(dev.qmt4j.oci.PlatformUnavailableException.class, e.getCause());
        // require() throws the same error
        Qmt4jException thrown = assertThrows(Qmt4jException.class, () -> r.require("multi"));
        assertEquals(e.getMessage(), thrown.getMessage());
        return e;
    }

    @Test
    void otherPullFailuresNameTheProviderOnceToo() throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "gone"
                path = "oci://%s/plugins/nothing-here:1.0"

                [[providers]]
                name = "nolayout"
                path = "oci-layout://missing-layout:1"

                [oci]
                insecure_skip_signature = true
                """.formatted(registry.host()));
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("cache")).build()) {
            for (String name : r.names()) {
                ProviderLoadException e = assertInstanceOf(ProviderLoadException.class,
                        assertInstanceOf(LoadResult.Failed.class, r.load(name)).error());
                assertEquals(ErrorKind.NOT_FOUND, e.kind(), e.getMessage());
                assertTrue(e.getMessage().startsWith("provider '" + name + "' in " + cfg + ": "), e.getMessage());
                assertEquals(1, e.getMessage().split("provider '", -1).length - 1, "named once: " + e.getMessage());
                assertEquals(((Qmt4jException) e.getCause()).hint(), e.hint(), "the source's own hint is kept");
            }
        }
    }

    @Test
    void withoutAPlatformTheHostsEntryOrTheWasmFallbackIsPulled() throws Exception {
        try (PluginRegistry r = config("").build()) {
            assertEquals(PluginType.WASM, loadedType(r));
        }
    }

    @Test
    void theProvidersPlatformKeyPicksTheEntryAndNeverFallsBack() throws Exception {
        try (PluginRegistry r = config("platform = \"wasi/wasm\"").build()) {
            assertEquals(PluginType.WASM, loadedType(r));
        }
        try (PluginRegistry r = config("platform = \"linux/riscv64\"").build()) {
            ProviderLoadException e = failure(r);
            assertEquals("change platform = \"linux/riscv64\" in its entry in "
                    + tmp.resolve("providers.toml") + " to platform = \"wasi/wasm\" (or another platform it offers),"
                    + " or override it with --platform wasi/wasm", e.hint());
        }
    }

    @Test
    void theBuildersPlatformOverridesTheKeyAndNeverFallsBack() throws Exception {
        try (PluginRegistry r = config("platform = \"linux/riscv64\"").platform(Platform.WASI_WASM).build()) {
            assertEquals(PluginType.WASM, loadedType(r));
        }
        try (PluginRegistry r = config("").platform(RISCV).build()) {
            ProviderLoadException e = failure(r);
            assertTrue(e.hint().startsWith("pass --platform wasi/wasm (or another platform it offers)"), e.hint());
        }
    }
}
