package dev.qmt4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The flags {@code qmt} takes, through qmt-openai (a test plugin that writes requests as QueryMT's OpenAI
 * provider does) to the OpenAI test server, whose log shows the request body: sampling flags, API key,
 * base URL, {@code -o KEY=VALUE}, {@code PROVIDER:MODEL}; and {@code qmt4j embed}.
 */
class CliQueryMtFlagsTest extends OpenAiCliTestBase {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** qmt-openai with only a model: no base_url (the flag gives it), no API key in the environment. */
    private Path config(boolean withBaseUrl) throws IOException {
        return Files.writeString(tmp.resolve("providers.toml"), """
                [[providers]]
                name = "openai"
                path = "%s"
                [providers.config]
                model = "%s"
                %s
                """.formatted(TestPlugins.path(TestPlugins.QMT_OPENAI), OpenAiTestServer.MODEL_A,
                withBaseUrl ? "base_url = \"" + openai.baseUrl() + "\"" : ""));
    }

    private JsonNode lastChatBody() {
        List<OpenAiTestServer.RecordedRequest> chats = openai.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions")).toList();
        assertFalse(chats.isEmpty(), "no chat request reached the server: " + openai.requests());
        return MAPPER.readTree(chats.get(chats.size() - 1).bodyText());
    }

    @Test
    void samplingFlagsReachTheRequestBody() throws Exception {
        Cli.Result r = cli.run("--config", config(true).toString(), "chat", "openai", "Hello there", "--no-stream",
                "--temperature", "0.25", "--top-p", "0.5", "--top-k", "40", "--max-tokens", "64", "--reasoning-effort", "high");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Echo: Hello there\n", r.out());
        JsonNode body = lastChatBody();
        assertEquals(0.25, body.get("temperature").doubleValue(), 1e-6, body.toString());
        assertEquals(0.5, body.get("top_p").doubleValue(), 1e-6, body.toString());
        assertEquals(40, body.get("top_k").intValue(), body.toString());
        assertEquals(64, body.get("max_tokens").intValue(), body.toString());
        assertEquals("high", body.get("reasoning_effort").stringValue(), body.toString());

        // QueryMT's portable "max" becomes OpenAI's "xhigh" in its OpenAI provider; a provider-specific level is refused.
        assertEquals(0, cli.run("--config", config(true).toString(), "chat", "openai", "hi", "--reasoning-effort", "max").exitCode());
        assertEquals("xhigh", lastChatBody().get("reasoning_effort").stringValue());
        Cli.Result bad = cli.run("--config", config(true).toString(), "chat", "openai", "hi", "--reasoning-effort", "xhigh");
        assertEquals(ErrorKind.USAGE.exitCode(), bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("low, medium, high, max"), bad.toString());
        Cli.Result negative = cli.run("--config", config(true).toString(), "chat", "openai", "hi", "--max-tokens", "-1");
        assertEquals(ErrorKind.USAGE.exitCode(), negative.exitCode(), negative.toString());
    }

    @Test
    void apiKeyAndBaseUrlFlagsConfigureTheProvider() throws Exception {
        cli.env().remove("OPENAI_API_KEY");
        Path cfg = config(false);
        Cli.Result r = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream",
                "--api-key", openai.apiKey(), "--base-url", openai.baseUrl());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Echo: Hi\n", r.out());
        OpenAiTestServer.RecordedRequest sent = openai.requests().get(openai.requests().size() - 1);
        assertEquals("Bearer " + openai.apiKey(), sent.header("authorization"));

        Cli.Result wrongKey = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream",
                "--api-key", "sk-wrong", "--base-url", openai.baseUrl());
        assertEquals(ErrorKind.AUTH.exitCode(), wrongKey.exitCode(), wrongKey.toString());
    }

    @Test
    void optionsAreConfigKeysWithJsonValues() throws Exception {
        Path cfg = config(true);
        Cli.Result r = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream",
                "-o", "stop=[\"END\",\"STOP\"]", "--option", "max_tokens=7", "-o", "model=" + OpenAiTestServer.MODEL_B,
                "--temperature", "0.9", "-o", "temperature=0.1");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode body = lastChatBody();
        assertEquals("[\"END\",\"STOP\"]", body.get("stop").toString(), body.toString());
        assertTrue(body.get("max_tokens").isIntegralNumber(), body.toString());
        assertEquals(7, body.get("max_tokens").intValue());
        assertEquals(OpenAiTestServer.MODEL_B, body.get("model").stringValue(), "a value that is not JSON is a string");
        assertEquals(0.1, body.get("temperature").doubleValue(), 1e-6, "-o is applied after the flags");

        Cli.Result noEquals = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "-o", "stop");
        assertEquals(ErrorKind.USAGE.exitCode(), noEquals.exitCode(), noEquals.toString());
        assertTrue(noEquals.err().contains("-o expects KEY=VALUE, got 'stop'"), noEquals.toString());

        // The sandbox is the host's: -o cannot widen it.
        Cli.Result sandbox = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "-o", "allowed_hosts=[\"*\"]");
        assertEquals(ErrorKind.CONFIG.exitCode(), sandbox.exitCode(), sandbox.toString());
        assertTrue(sandbox.err().contains("sandbox setting"), sandbox.toString());
    }

    @Test
    void providerColonModelPicksTheModel() throws Exception {
        Path cfg = config(true);
        Cli.Result r = cli.run("--config", cfg.toString(), "chat", "openai:" + OpenAiTestServer.MODEL_B, "Hi", "--no-stream");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(OpenAiTestServer.MODEL_B, lastChatBody().get("model").stringValue());

        Cli.Result both = cli.run("--config", cfg.toString(), "chat", "openai:" + OpenAiTestServer.MODEL_B, "Hi", "--model", "other");
        assertEquals(ErrorKind.USAGE.exitCode(), both.exitCode(), both.toString());
        assertTrue(both.err().contains("two models"), both.toString());
    }

    @Test
    void systemPartsReachThePluginAsQmtSendsThem() throws Exception {
        Path cfg = config(true);
        Cli.Result one = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream", "--system", "Be brief.");
        assertEquals(0, one.exitCode(), one.toString());
        assertEquals(List.of("system:Be brief.", "user:Hi"), roles(lastChatBody()));

        // Repeated, as qmt -s a -s b: an array of parts for a plugin whose schema takes one (qmt-openai, as
        // QueryMT's OpenAI provider: one system message per part, in order).
        Cli.Result two = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream", "-s", "Be brief.", "--system", "Answer in French.");
        assertEquals(0, two.exitCode(), two.toString());
        assertEquals(List.of("system:Be brief.", "system:Answer in French.", "user:Hi"), roles(lastChatBody()));

        // A plugin whose schema types system as a string only gets the parts joined with a blank line.
        Path strict = Files.writeString(tmp.resolve("strict.toml"), """
                [[providers]]
                name = "strict"
                path = "%s"
                [providers.config]
                model = "%s"
                base_url = "%s"
                """.formatted(TestPlugins.path(TestPlugins.QMT_STRICT_SCHEMA), OpenAiTestServer.MODEL_A, openai.baseUrl()));
        Cli.Result joined = cli.run("--config", strict.toString(), "chat", "strict", "Hi", "--no-stream", "-s", "Be brief.", "-s", "Answer in French.");
        assertEquals(0, joined.exitCode(), joined.toString());
        assertEquals(List.of("system:Be brief.\n\nAnswer in French.", "user:Hi"), roles(lastChatBody()));

        // -o is applied last: it replaces the parts.
        Cli.Result option = cli.run("--config", cfg.toString(), "chat", "openai", "Hi", "--no-stream", "-s", "a", "-s", "b", "-o", "system=c");
        assertEquals(0, option.exitCode(), option.toString());
        assertEquals(List.of("system:c", "user:Hi"), roles(lastChatBody()));
    }

    /** Each message of an OpenAI request body as {@code role:text}. */
    private static List<String> roles(JsonNode body) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : body.get("messages")) {
            JsonNode c = m.get("content");
            out.add(m.get("role").stringValue() + ":" + (c.isString() ? c.stringValue() : c.toString()));
        }
        return out;
    }

    @Test
    void modelsTakesTheProviderConfigFlags() throws Exception {
        cli.env().remove("OPENAI_API_KEY");
        Path cfg = config(false);
        Cli.Result r = cli.run("--config", cfg.toString(), "models", "openai", "--api-key", openai.apiKey(), "--base-url", openai.baseUrl());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(openai.models(), r.out().lines().toList());
        OpenAiTestServer.RecordedRequest sent = openai.requests().get(openai.requests().size() - 1);
        assertEquals("Bearer " + openai.apiKey(), sent.header("authorization"));

        Cli.Result wrongKey = cli.run("--config", cfg.toString(), "models", "openai", "--api-key", "sk-wrong", "--base-url", openai.baseUrl());
        assertEquals(ErrorKind.AUTH.exitCode(), wrongKey.exitCode(), wrongKey.toString());
    }

    @Test
    void embedPrintsTheVectors() throws Exception {
        Path cfg = config(true);
        Cli.Result r = cli.run("--config", cfg.toString(), "embed", "openai", "alpha", "beta gamma");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertEquals(vector("alpha"), lines.get(0));
        assertEquals(vector("beta gamma"), lines.get(1));

        Cli.Result json = cli.run("--config", cfg.toString(), "embed", "openai:text-embedding-test", "alpha", "--json", "-d", "4");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode vectors = MAPPER.readTree(json.out());
        assertEquals(1, vectors.size());
        assertEquals(OpenAiTestServer.EMBEDDING_DIMENSIONS, vectors.get(0).size());
        assertEquals(OpenAiTestServer.embedding("alpha").get(0), vectors.get(0).get(0).doubleValue(), 1e-6);
        OpenAiTestServer.RecordedRequest sent = openai.requests().get(openai.requests().size() - 1);
        assertEquals("/v1/embeddings", sent.path());
        assertEquals("text-embedding-test", MAPPER.readTree(sent.bodyText()).get("model").stringValue());

        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("one\n\ntwo\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Result stdin = cli.run("--config", cfg.toString(), "embed", "openai");
            assertEquals(0, stdin.exitCode(), stdin.toString());
            assertEquals(List.of(vector("one"), vector("two")), stdin.out().lines().toList());
            System.setIn(new ByteArrayInputStream(new byte[0]));
            Cli.Result empty = cli.run("--config", cfg.toString(), "embed", "openai");
            assertEquals(ErrorKind.USAGE.exitCode(), empty.exitCode(), empty.toString());
        } finally {
            System.setIn(saved);
        }
    }

    /** The server's vector for {@code text} as {@code embed} prints it (floats, space-separated). */
    private static String vector(String text) {
        StringBuilder sb = new StringBuilder();
        for (double d : OpenAiTestServer.embedding(text)) {
            sb.append(sb.length() == 0 ? "" : " ").append((float) d);
        }
        return sb.toString();
    }
}
