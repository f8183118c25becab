package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A native provider (the example echo provider in C, compiled here with gcc) next to a local Wasm
 * provider and the example layout provider: {@code providers --json} shows each one's type, source
 * kind, digest and status, and {@code chat} reaches the native one.
 */
class CliNativeProviderTest extends OpenAiCliTestBase {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Path REPO = CliHostCommandsTest.REPO;

    /** The example echo provider compiled with gcc into {@code tmp} ({@link NativeExample}). */
    private Path echoLibrary() {
        return NativeExample.library(tmp);
    }

    private Path config() throws Exception {
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, """
                [[providers]]
                name = "echo"
                path = "%s"
                [providers.config]
                model = "echo-1"

                [[providers]]
                name = "openai"
                path = "%s"
                [providers.config]
                base_url = "%s/v1"
                model = "%s"

                [[providers]]
                name = "hello"
                path = "oci-layout://%s:0.1.0"
                [providers.verify]
                public_key = "%s"
                """.formatted(echoLibrary(), TestPlugins.path(TestPlugins.QMT_OPENAI), openai.url(), OpenAiTestServer.MODEL_A,
                REPO.resolve("examples/layout"), REPO.resolve("examples/keys/cosign.pub")));
        return cfg;
    }

    @Test
    void providersJsonShowsNativeWasmAndLayoutProvidersThenChatsWithTheNativeOne() throws Exception {
        Path cfg = config();
        Cli.Result r = cli.run("--config", cfg.toString(), "providers", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode rows = MAPPER.readTree(r.out());
        assertEquals(3, rows.size(), r.toString());
        Map<String, JsonNode> byName = new HashMap<>();
        rows.forEach(row -> byName.put(row.get("name").stringValue(), row));

        String[][] expected = {{"echo", "native", "local"}, {"openai", "wasm", "local"}, {"hello", "wasm", "layout"}};
        for (String[] e : expected) {
            JsonNode row = byName.get(e[0]);
            assertTrue(row != null, e[0] + " missing: " + r.out());
            assertEquals(e[1], row.get("type").stringValue(), row.toString());
            assertEquals(e[2], row.get("source").stringValue(), row.toString());
            assertEquals("ok", row.get("status").stringValue(), row.toString());
            assertTrue(row.get("digest").stringValue().matches("sha256:[0-9a-f]{64}"), row.toString());
        }
        assertTrue(byName.get("hello").get("signer").stringValue().contains("signed with key"), byName.get("hello").toString());

        Cli.Result chat = cli.run("--config", cfg.toString(), "chat", "echo", "hello from C");
        assertEquals(0, chat.exitCode(), chat.toString());
        assertEquals("Echo: hello from C\n", chat.out());
    }
}
