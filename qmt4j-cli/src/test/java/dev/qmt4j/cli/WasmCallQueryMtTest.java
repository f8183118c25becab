package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code qmt4j wasm call} on QueryMT provider modules built from source (qmt4j-testplugins): the
 * metadata and chat-style exports one by one, QueryMT's {@code qmt_*} host functions linked under a
 * deny-by-default network, structured plugin errors printed with their payload.
 */
class WasmCallQueryMtTest extends OpenAiCliTestBase {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Cli.Result wasmCall(String plugin, String function, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("wasm", "call", TestPlugins.path(plugin).toString(), function));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void httpAdapterExportsOneByOne() throws Exception {
        Cli.Result name = wasmCall(TestPlugins.QMT_OPENAI, "name");
        assertEquals(0, name.exitCode(), name.toString());
        assertEquals("qmt-openai\n", name.out());

        Cli.Result schema = wasmCall(TestPlugins.QMT_OPENAI, "config_schema");
        assertEquals(0, schema.exitCode(), schema.toString());
        assertTrue(MAPPER.readTree(schema.out()).path("properties").has("model"), schema.toString());

        Cli.Result cfg = wasmCall(TestPlugins.QMT_OPENAI, "from_config", "--input", "{\"model\":\"m\",\"base_url\":\"http://x.test/v1\"}");
        assertEquals(0, cfg.exitCode(), cfg.toString());
        assertEquals("m", MAPPER.readTree(cfg.out()).get("model").stringValue());

        String request = "{\"cfg\":{\"model\":\"m\",\"base_url\":\"http://x.test/v1\"},"
                + "\"messages\":[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        Cli.Result chatRequest = wasmCall(TestPlugins.QMT_OPENAI, "chat_request", "--input", request);
        assertEquals(0, chatRequest.exitCode(), chatRequest.toString());
        JsonNode head = MAPPER.readTree(chatRequest.out()).path("req").path("head");
        assertEquals("POST", head.get("method").stringValue(), chatRequest.toString());
        assertEquals("http://x.test/v1/chat/completions", head.get("uri").stringValue(), chatRequest.toString());

        String body = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hello back\"},\"finish_reason\":\"stop\"}]}";
        StringBuilder bytes = new StringBuilder();
        for (byte b : body.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            bytes.append(bytes.length() == 0 ? "" : ",").append(b & 0xff);
        }
        String response = "{\"cfg\":{\"model\":\"m\"},\"resp\":{\"resp\":{\"head\":{\"status\":200,\"headers\":{},"
                + "\"version\":\"HTTP/1.1\"},\"body\":[" + bytes + "]}}}";
        Cli.Result parsed = wasmCall(TestPlugins.QMT_OPENAI, "parse_chat_response", "--input", response);
        assertEquals(0, parsed.exitCode(), parsed.toString());
        assertEquals("hello back", MAPPER.readTree(parsed.out()).get("text").stringValue(), parsed.toString());
    }

    @Test
    void structuredPluginErrorsPrintTheirPayload() {
        Cli.Result r = wasmCall(TestPlugins.QMT_OPENAI, "from_config", "--input", "{}");
        assertEquals(ErrorKind.PLUGIN.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("error: from_config returned a QueryMT plugin error: "
                + "{\"payload\":{\"type\":\"invalid_request\",\"message\":\"model is required\"}}"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void legacyPluginDoesItsHttpThroughTheQmtHostFunctions() {
        String request = "{\"cfg\":{\"model\":\"" + OpenAiTestServer.MODEL_A + "\",\"base_url\":\"" + openai.url() + "/v1\",\"api_key\":\""
                + openai.apiKey() + "\"},\"messages\":[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"Hello wasm\"}]}]}";
        Cli.Result r = wasmCall(TestPlugins.QMT_LEGACY, "chat", "--wasi", "--input", request, "--allow-host", "127.0.0.1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"text\":\"Echo: Hello wasm\""), r.toString());
        assertEquals(1, openai.requests().size());

        Cli.Result models = wasmCall(TestPlugins.QMT_LEGACY, "list_models", "--wasi", "--input",
                "{\"model\":\"m\",\"base_url\":\"" + openai.url() + "/v1\",\"api_key\":\"" + openai.apiKey() + "\"}",
                "--allow-host", "127.0.0.1");
        assertEquals(0, models.exitCode(), models.toString());
        assertTrue(models.out().contains(OpenAiTestServer.MODEL_A), models.toString());
    }

    @Test
    void theNetworkIsDeniedByDefault() {
        String request = "{\"cfg\":{\"model\":\"m\",\"base_url\":\"" + openai.url() + "/v1\"},"
                + "\"messages\":[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        Cli.Result r = wasmCall(TestPlugins.QMT_LEGACY, "chat", "--wasi", "--input", request);
        assertEquals(ErrorKind.SANDBOX.exitCode(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("127.0.0.1"), r.toString());
        assertTrue(openai.requests().isEmpty(), "nothing reached the server");
    }

    @Test
    void yieldedChunksArePrintedAsJsonLines() {
        String request = "{\"cfg\":{\"model\":\"m\",\"stream\":true},"
                + "\"messages\":[{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        Cli.Result r = wasmCall(TestPlugins.QMT_STRICT, "chat_stream", "--input", request);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("{\"text\":\"strict: \"}", "{\"text\":\"hi\"}", "{\"done\":{\"finish_reason\":\"Stop\"}}", ""),
                r.out().lines().toList(), r.toString());
    }
}
