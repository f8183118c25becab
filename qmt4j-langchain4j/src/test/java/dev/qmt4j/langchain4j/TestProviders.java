package dev.qmt4j.langchain4j;

import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one place the tests set providers up: the OpenAI-compatible test server and a registry
 * whose config names two real Wasm plugins built from source, both pointed at that server:
 * {@value #OPENAI} (qmt-openai, QueryMT's HTTP-adapter ABI, streams) and {@value #LEGACY}
 * (qmt-legacy, the legacy ABI, chat only: no streaming export). qmt-openai's API key comes from
 * {@code OPENAI_API_KEY}, as for a user; qmt-legacy names no key variable, so its config has one.
 */
final class TestProviders implements AutoCloseable {
    static final String OPENAI = "openai";
    static final String LEGACY = "legacy";

    final OpenAiTestServer server;
    /** The config file (also for child JVMs, with {@code OPENAI_API_KEY} set to the server's key). */
    final Path config;
    final PluginRegistry registry;

    private TestProviders(OpenAiTestServer server, Path config, PluginRegistry registry) {
        this.server = server;
        this.config = config;
        this.registry = registry;
    }

    static TestProviders start(Path dir) {
        OpenAiTestServer server = OpenAiTestServer.start();
        try {
            Path cfg = dir.resolve("providers.toml");
            Files.writeString(cfg, provider(OPENAI, TestPlugins.QMT_OPENAI, server, "") + "\n"
                    + provider(LEGACY, TestPlugins.QMT_LEGACY, server, "api_key = \"" + server.apiKey() + "\"\n"));
            PluginRegistry registry = PluginRegistry.builder().config(cfg)
                    .env(Map.of("OPENAI_API_KEY", server.apiKey())).home(dir).cacheDir(dir.resolve("cache")).build();
            return new TestProviders(server, cfg, registry);
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code [[providers]]} entry for {@code plugin} against {@code server}, with {@code extraConfig} lines. */
    private static String provider(String name, String plugin, OpenAiTestServer server, String extraConfig) {
        return """
                [[providers]]
                name = "%s"
                path = "%s"
                [providers.config]
                base_url = "%s/v1"
                model = "%s"
                """.formatted(name, TestPlugins.path(plugin), server.url(), OpenAiTestServer.MODEL_A) + extraConfig;
    }

    /** The body of the last request the server received. */
    String lastBody() {
        var all = server.requests();
        return all.get(all.size() - 1).bodyText();
    }

    @Override
    public void close() {
        registry.close();
        server.close();
    }
}
