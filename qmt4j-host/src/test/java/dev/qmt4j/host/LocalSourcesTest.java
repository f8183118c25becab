package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.PluginType;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.testkit.HttpsFileServer;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Local file and {@code https://} URL sources (an HTTPS server with a private CA's certificate, trusted
 * through {@code [oci] ca_certificates} or {@code QMT4J_CA_CERTIFICATES}), the config merge (API key from
 * the environment) and schema validation.
 */
class LocalSourcesTest {
    private static final String PLUGIN = "/qmt-openai.wasm";
    @TempDir
    Path tmp;
    private OpenAiTestServer openai;
    private HttpsFileServer files;

    @BeforeEach
    void start() {
        openai = OpenAiTestServer.start();
        files = HttpsFileServer.start();
        files.serve(PLUGIN, TestPlugins.path(TestPlugins.QMT_OPENAI));
    }

    @AfterEach
    void stop() {
        openai.close();
        files.close();
    }

    private String sha() {
        return UrlDownloader.hash(TestPlugins.path(TestPlugins.QMT_OPENAI));
    }

    private String url() {
        return files.url(PLUGIN);
    }

    /** A registry over {@code toml}; {@code trustCa}: the test CA in {@code [oci] ca_certificates}, relative to the config. */
    private PluginRegistry registry(String toml, boolean trustCa) throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        if (trustCa) {
            Files.copy(TestCertificates.shared().caCertificate(), tmp.resolve("test-ca.pem"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            toml += "[oci]\nca_certificates = \"test-ca.pem\"\n";
        }
        Files.writeString(cfg, toml);
        return PluginRegistry.builder().config(cfg).env(Map.of("OPENAI_API_KEY", openai.apiKey())).home(tmp)
                .cacheDir(tmp.resolve("cache")).build();
    }

    private String provider(String name, String path, String extra) {
        return "[[providers]]\nname = \"" + name + "\"\npath = \"" + path + "\"\n" + extra
                + "[providers.config]\nbase_url = \"" + openai.url() + "/v1\"\nmodel = \"" + OpenAiTestServer.MODEL_A + "\"\n\n";
    }

    private static JsonNode user(String text) {
        return Jsons.MAPPER.createArrayNode().add(Jsons.MAPPER.createObjectNode().put("role", "user").put("content", text));
    }

    @Test
    void localFileLoadsAndChatsWithTheApiKeyFromTheEnvironment() throws Exception {
        Path wasm = tmp.resolve("plugins/openai.wasm");
        Files.createDirectories(wasm.getParent());
        Files.copy(TestPlugins.path(TestPlugins.QMT_OPENAI), wasm);
        try (PluginRegistry r = registry(provider("local", "plugins/openai.wasm", ""), false)) {
            LoadResult.Loaded l = assertInstanceOf(LoadResult.Loaded.class, r.loadAll().get(0));
            assertEquals(PluginType.WASM, l.type());
            assertEquals("sha256:" + sha(), l.digest());
            assertEquals(wasm.toString(), l.source());
            ProviderHandle h = r.builder("local").build();
            assertEquals(openai.apiKey(), h.config().get("api_key").stringValue());
            assertEquals("Echo: hi", h.chat(user("hi"), null).get("text").stringValue());
            assertTrue(r.listModels("local").contains(OpenAiTestServer.MODEL_A));
        }
    }

    @Test
    void missingLocalFileAndUnknownNameAreErrorValues() throws Exception {
        try (PluginRegistry r = registry(provider("gone", "nope.wasm", ""), false)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.loadAll().get(0));
            assertTrue(f.error().getMessage().contains("not found"), f.error().getMessage());
            assertTrue(r.get("gone").isEmpty());
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> r.require("gone"));
            assertEquals(ErrorKind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("nope.wasm"), e.getMessage());
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(Qmt4jException.class, () -> r.require("other")).kind());
        }
    }

    @Test
    void pinnedUrlIsDownloadedOnceAndCachedBySha256() throws Exception {
        try (PluginRegistry r = registry(provider("url", url(), "sha256 = \"" + sha() + "\"\n"), true)) {
            LoadResult.Loaded l = assertInstanceOf(LoadResult.Loaded.class, r.load("url"));
            assertEquals("sha256:" + sha(), l.digest());
            assertEquals("Echo: via url", r.builder("url").build().chat(user("via url"), null).get("text").stringValue());
            assertTrue(Files.isRegularFile(tmp.resolve("cache/urls/sha256/" + sha() + "/plugin.wasm")));
        }
        String pinned = provider("url", url(), "sha256 = \"" + sha() + "\"\n");
        files.close();
        try (PluginRegistry again = registry(pinned, true)) {
            assertInstanceOf(LoadResult.Loaded.class, again.load("url"), "served from the cache with the server down");
            assertEquals("Echo: cached", again.builder("url").build().chat(user("cached"), null).get("text").stringValue());
        }
        assertEquals(1, files.getCount(PLUGIN));
    }

    @Test
    void theCaCanComeFromTheEnvironmentOrTheBuilder() throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, provider("url", url(), "sha256 = \"" + sha() + "\"\n"));
        Path ca = TestCertificates.shared().caCertificate();
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).home(tmp).cacheDir(tmp.resolve("env-cache"))
                .env(Map.of("OPENAI_API_KEY", openai.apiKey(), "QMT4J_CA_CERTIFICATES", ca.toString())).build()) {
            assertInstanceOf(LoadResult.Loaded.class, r.load("url"));
        }
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).home(tmp).cacheDir(tmp.resolve("builder-cache"))
                .env(Map.of("OPENAI_API_KEY", openai.apiKey())).caCertificates(java.util.List.of(ca)).build()) {
            assertInstanceOf(LoadResult.Loaded.class, r.load("url"));
        }
        assertEquals(2, files.getCount(PLUGIN));
    }

    @Test
    void anUntrustedServerIsOneNetworkErrorNamingTheHostAndNothingIsCached() throws Exception {
        try (PluginRegistry r = registry(provider("url", url(), "sha256 = \"" + sha() + "\"\n"), false)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.load("url"));
            Qmt4jException e = assertInstanceOf(Qmt4jException.class, f.error());
            assertEquals(ErrorKind.NETWORK, e.kind());
            assertTrue(e.getMessage().contains("127.0.0.1") && e.getMessage().contains("not signed by a trusted CA"), e.getMessage());
            assertTrue(e.hint().contains("[oci] ca_certificates"), e.hint());
        }
        try (var s = Files.walk(tmp.resolve("cache"))) {
            assertEquals(0, s.filter(p -> p.toString().contains("urls") && Files.isRegularFile(p)).count());
        }
    }

    @Test
    void aMissingCaFileIsAConfigErrorNamingIt() throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, provider("url", url(), "sha256 = \"" + sha() + "\"\n") + "[oci]\nca_certificates = [\"nope.pem\"]\n");
        try (PluginRegistry r = PluginRegistry.builder().config(cfg).env(Map.of()).home(tmp).cacheDir(tmp.resolve("cache")).build()) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.load("url"));
            Qmt4jException e = assertInstanceOf(Qmt4jException.class, f.error());
            assertEquals(ErrorKind.CONFIG, e.kind());
            assertTrue(e.getMessage().contains(tmp.resolve("nope.pem").toString()), e.getMessage());
        }
    }

    @Test
    void wrongPinIsRefusedAndNothingIsCached() throws Exception {
        String wrong = "0".repeat(64);
        try (PluginRegistry r = registry(provider("url", url(), "sha256 = \"" + wrong + "\"\n"), true)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.load("url"));
            assertEquals(ErrorKind.INTEGRITY, ((Qmt4jException) f.error()).kind());
            assertTrue(f.error().getMessage().contains(sha()), f.error().getMessage());
            try (var s = Files.walk(tmp.resolve("cache/urls"))) {
                assertEquals(0, s.filter(Files::isRegularFile).count());
            }
        }
    }

    @Test
    void urlWithoutPinOrOverHttpIsRefused() throws Exception {
        try (PluginRegistry r = registry(provider("nopin", url(), ""), true)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.load("nopin"));
            assertTrue(f.error().getMessage().contains("sha256 pin"), f.error().getMessage());
        }
        try (PluginRegistry r = registry(provider("insecure", url(), "insecure = true\n"), true)) {
            assertInstanceOf(LoadResult.Loaded.class, r.load("insecure"));
        }
        String plain = url().replace("https://", "http://");
        try (PluginRegistry r = registry(provider("plain", plain, "sha256 = \"" + sha() + "\"\n"), true)) {
            LoadResult.Failed f = assertInstanceOf(LoadResult.Failed.class, r.load("plain"));
            assertTrue(f.error().getMessage().contains("must use https"), f.error().getMessage());
        }
    }

    @Test
    void schemaValidationNamesTheField() throws Exception {
        Path wasm = tmp.resolve("openai.wasm");
        Files.copy(TestPlugins.path(TestPlugins.QMT_OPENAI), wasm);
        try (PluginRegistry r = registry("[[providers]]\nname = \"p\"\npath = \"openai.wasm\"\n", false)) {
            ProviderException missing = assertThrows(ProviderException.class, () -> r.builder("p").build());
            assertEquals(ProviderErrorKind.INVALID_CONFIG, missing.providerKind());
            assertTrue(missing.getMessage().contains("model"), missing.getMessage());
            ProviderException small = assertThrows(ProviderException.class,
                    () -> r.builder("p").model("m").parameter("max_tokens", 0).build());
            assertTrue(small.getMessage().contains("max_tokens"), small.getMessage());
            ProviderException type = assertThrows(ProviderException.class,
                    () -> r.builder("p").model("m").parameter("temperature", "hot").build());
            assertTrue(type.getMessage().contains("temperature"), type.getMessage());
            assertEquals("m", r.builder("p").model("m").parameter("max_tokens", 5).build().config().get("model").stringValue());
        }
    }

    @Test
    void sourcesAreTypedByExtension() {
        var entry = new dev.qmt4j.config.ProviderEntry("n", "lib/libqmt.so", Map.of(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of());
        assertEquals(PluginType.NATIVE, ((PluginSource.LocalFile) PluginSource.of(entry, tmp, "Linux")).type());
        Qmt4jException e = assertThrows(Qmt4jException.class, () -> PluginSource.of(entry, tmp, "Mac OS X"));
        assertTrue(e.hint().contains(".dylib"), e.hint());
    }
}
