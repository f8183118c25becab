package dev.qmt4j.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiTestServerTest {
    static OpenAiTestServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        server = OpenAiTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chatEchoesLastUserMessageWithUsage() throws Exception {
        var r = call("POST", "/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be nice\"},{\"role\":\"user\",\"content\":\"hello there\"}]}",
                server.apiKey());
        assertEquals(200, r.statusCode());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("Echo: hello there", j.at("/choices/0/message/content").asString());
        assertEquals(4, j.at("/usage/prompt_tokens").asInt());
        assertEquals(3, j.at("/usage/completion_tokens").asInt());
    }

    @Test
    void toolCallWhenToolsGiven() throws Exception {
        var r = call("POST", "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather?\"}]}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]}",
                server.apiKey());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("get_weather", j.at("/choices/0/message/tool_calls/0/function/name").asString());
        assertEquals("{\"input\":\"weather?\"}", j.at("/choices/0/message/tool_calls/0/function/arguments").asString());
        assertEquals("tool_calls", j.at("/choices/0/finish_reason").asString());
    }

    @Test
    void streamingSendsChunksThenDone() throws Exception {
        var r = call("POST", "/v1/chat/completions",
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}",
                server.apiKey());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse(""));
        StringBuilder text = new StringBuilder();
        int events = 0;
        boolean done = false;
        JsonNode usage = null;
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("data: ")) continue;
            String data = line.substring(6);
            if (data.equals("[DONE]")) { done = true; continue; }
            events++;
            JsonNode c = JSON.readTree(data);
            JsonNode content = c.at("/choices/0/delta/content");
            if (content.isString()) text.append(content.asString());
            if (c.has("usage")) usage = c.get("usage");
        }
        assertTrue(done);
        assertTrue(events >= 5, "events " + events);
        assertEquals("Echo: a b c", text.toString());
        assertEquals(4, usage.get("completion_tokens").asInt());
    }

    @Test
    void modelsEmbeddingsAuthAndFailures() throws Exception {
        var models = JSON.readTree(call("GET", "/v1/models", null, server.apiKey()).body());
        assertEquals(OpenAiTestServer.MODEL_A, models.at("/data/0/id").asString());
        var emb = JSON.readTree(call("POST", "/v1/embeddings", "{\"input\":[\"ab\",\"cd\"]}", server.apiKey()).body());
        assertEquals(OpenAiTestServer.EMBEDDING_DIMENSIONS, emb.at("/data/1/embedding").size());
        assertEquals(OpenAiTestServer.embedding("cd").get(0), emb.at("/data/1/embedding/0").asDouble());

        var unauth = call("GET", "/v1/models", null, "wrong");
        assertEquals(401, unauth.statusCode());
        assertEquals("invalid_api_key", JSON.readTree(unauth.body()).at("/error/code").asString());

        server.rateLimitNext(7);
        var limited = call("GET", "/v1/models", null, server.apiKey());
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("retry-after").orElse(""));
        server.failNext(500, -1, null);
        assertEquals(500, call("GET", "/v1/models", null, server.apiKey()).statusCode());
        assertEquals(200, call("GET", "/v1/models", null, server.apiKey()).statusCode());

        server.redirectTo("http://example.invalid");
        try {
            var red = call("GET", "/v1/models?x=1", null, server.apiKey());
            assertEquals(307, red.statusCode());
            assertEquals("http://example.invalid/v1/models?x=1", red.headers().firstValue("location").orElse(""));
        } finally {
            server.redirectTo(null);
        }
        var last = server.requests().get(server.requests().size() - 1);
        assertEquals("GET", last.method());
        assertEquals("/v1/models", last.path());
        assertEquals("Bearer " + server.apiKey(), last.header("Authorization"));
    }
}
