package dev.qmt4j.provider.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatResponse;
import dev.qmt4j.provider.model.CompletionRequest;
import dev.qmt4j.provider.model.EmbeddingRequest;
import dev.qmt4j.provider.model.EmbeddingResponse;
import dev.qmt4j.provider.model.FinishReason;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.SpeechRequest;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.provider.model.Tool;
import dev.qmt4j.provider.model.ToolCall;
import dev.qmt4j.provider.model.TranscribeRequest;
import dev.qmt4j.provider.model.Usage;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The typed overloads of ProviderPlugin through WasmProvider + qmt-openai against the OpenAI test server. */
class TypedWasmProviderTest {
    static OpenAiTestServer server;
    static WasmProvider openai;
    static final Tool WEATHER = Tool.function("get_weather", "Current weather",
            QmtJson.parse("{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\"}},\"required\":[\"input\"]}"));

    @BeforeAll
    static void start() {
        server = OpenAiTestServer.start();
        openai = WasmProvider.builder(TestPlugins.path(TestPlugins.QMT_OPENAI)).config(cfg()).build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.clearRequests();
    }

    static ObjectNode cfg() {
        ObjectNode c = (ObjectNode) QmtJson.parse("{}");
        c.put("base_url", server.url() + "/v1").put("api_key", server.apiKey()).put("model", OpenAiTestServer.MODEL_A);
        return c;
    }

    @Test
    void typedChat() {
        ChatResponse r = openai.chat(cfg(), List.of(ChatMessage.user("hello world")), null);
        assertEquals("Echo: hello world", r.text());
        assertNull(r.toolCalls());
        assertNull(r.thinking());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(new Usage(2, 3, 0, 0, 0), r.usage());
        // The typed messages went out in QueryMT's shape and reached the server as an OpenAI user message.
        JsonNode sent = QmtJson.parse(server.requests().get(0).bodyText());
        assertEquals("user", sent.at("/messages/0/role").stringValue());
        assertEquals("hello world", sent.at("/messages/0/content").stringValue());
    }

    @Test
    void typedToolCallAndToolResultTurn() {
        ChatMessage question = ChatMessage.user("weather in Oslo?");
        ChatResponse r = openai.chat(cfg(), List.of(question), List.of(WEATHER));
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
        assertEquals(1, r.toolCalls().size());
        ToolCall call = r.toolCalls().get(0);
        assertEquals(OpenAiTestServer.TOOL_CALL_ID, call.id());
        assertEquals("function", call.type());
        assertEquals("get_weather", call.function().name());
        assertEquals("weather in Oslo?", call.parsedArguments().get("input").stringValue());
        assertEquals(new Usage(3, 1, 0, 0, 0), r.usage());
        JsonNode sentTools = QmtJson.parse(server.requests().get(0).bodyText()).get("tools");
        assertEquals("get_weather", sentTools.at("/0/function/name").stringValue());
        assertEquals("input", sentTools.at("/0/function/parameters/required/0").stringValue());

        // Second turn: replay the call and answer it; the plugin maps these to OpenAI tool messages.
        ChatResponse answer = openai.chat(cfg(), List.of(question, ChatMessage.toolUse(r.toolCalls()),
                ChatMessage.toolResult(call.id(), "get_weather", "sunny", false)), null);
        assertEquals("Echo: weather in Oslo?", answer.text());
        assertEquals(FinishReason.STOP, answer.finishReason());
        JsonNode msgs = QmtJson.parse(server.requests().get(1).bodyText()).get("messages");
        assertEquals("assistant", msgs.at("/1/role").stringValue());
        assertEquals(OpenAiTestServer.TOOL_CALL_ID, msgs.at("/1/tool_calls/0/id").stringValue());
        assertEquals("get_weather", msgs.at("/1/tool_calls/0/function/name").stringValue());
        assertEquals("tool", msgs.at("/2/role").stringValue());
        assertEquals("sunny", msgs.at("/2/content").stringValue());
    }

    @Test
    void typedStreamChunkSequence() {
        List<StreamChunk> chunks = new ArrayList<>();
        openai.chatStream(cfg(), List.of(ChatMessage.user("a b c")), null, chunks::add);
        assertEquals(List.of(new StreamChunk.Text("Echo: "), new StreamChunk.Text("a "), new StreamChunk.Text("b "),
                new StreamChunk.Text("c"), new StreamChunk.UsageChunk(new Usage(3, 4, 0, 0, 0)),
                new StreamChunk.Done(FinishReason.STOP)), chunks);
    }

    @Test
    void typedStreamedToolCall() {
        List<StreamChunk> chunks = new ArrayList<>();
        openai.chatStream(cfg(), List.of(ChatMessage.user("weather?")), List.of(WEATHER), chunks::add);
        assertEquals(new StreamChunk.ToolUseStart(0, OpenAiTestServer.TOOL_CALL_ID, "get_weather"), chunks.get(0));
        StringBuilder args = new StringBuilder();
        chunks.stream().filter(c -> c instanceof StreamChunk.ToolUseInputDelta)
                .forEach(c -> args.append(((StreamChunk.ToolUseInputDelta) c).partialJson()));
        assertEquals(2, chunks.stream().filter(c -> c instanceof StreamChunk.ToolUseInputDelta).count(), chunks.toString());
        StreamChunk.ToolUseComplete done = (StreamChunk.ToolUseComplete) chunks.stream()
                .filter(c -> c instanceof StreamChunk.ToolUseComplete).findFirst().orElseThrow();
        assertEquals(0, done.index());
        assertEquals(ToolCall.function(OpenAiTestServer.TOOL_CALL_ID, "get_weather", args.toString()), done.toolCall());
        assertEquals("weather?", done.toolCall().parsedArguments().get("input").stringValue());
        assertTrue(chunks.contains(new StreamChunk.UsageChunk(new Usage(1, 1, 0, 0, 0))), chunks.toString());
        assertEquals(new StreamChunk.Done(FinishReason.TOOL_CALLS), chunks.get(chunks.size() - 1));
    }

    @Test
    void typedEmbedMatchesTheArrayApi() {
        EmbeddingResponse e = openai.embed(cfg(), new EmbeddingRequest(List.of("alpha", "beta")));
        float[][] raw = openai.embed(cfg(), List.of("alpha", "beta"));
        assertEquals(2, e.vectors().size());
        assertEquals(OpenAiTestServer.EMBEDDING_DIMENSIONS, e.vectors().get(0).length);
        assertArrayEquals(raw[0], e.toArray()[0]);
        assertArrayEquals(raw[1], e.toArray()[1]);
    }

    @Test
    void typedCallsOutsideTheCapabilitiesAreUnsupported() {
        assertTrue(!openai.capabilities().contains(Capability.COMPLETE));
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class,
                () -> openai.complete(cfg(), CompletionRequest.of("x"))).providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class,
                () -> openai.speech(cfg(), SpeechRequest.of("x"))).providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class,
                () -> openai.transcribe(cfg(), TranscribeRequest.of(new byte[] {1}, "audio/wav"))).providerKind());
    }

    @Test
    void malformedPluginResultsAreResponseFormatErrors() {
        ProviderPlugin bad = new Stub(QmtJson.parse("{\"text\":5}"), QmtJson.parse("{\"Text\":\"x\"}"), QmtJson.parse("{\"text\":\"done\"}"));
        ProviderException e = assertThrows(ProviderException.class, () -> bad.chat(cfg(), List.of(ChatMessage.user("x")), null));
        assertEquals(ProviderErrorKind.RESPONSE_FORMAT, e.providerKind());
        assertTrue(e.getMessage().contains("/text"), e.getMessage());
        assertEquals(ProviderErrorKind.RESPONSE_FORMAT, assertThrows(ProviderException.class,
                () -> bad.chatStream(cfg(), List.of(ChatMessage.user("x")), null, c -> { })).providerKind());
        assertEquals("done", bad.complete(cfg(), CompletionRequest.of("p")).text());
        assertEquals(QmtJson.parse("{\"prompt\":\"p\",\"suffix\":null,\"max_tokens\":null,\"temperature\":null}"), ((Stub) bad).lastRequest);
    }

    /** A plugin returning canned JSON, to exercise the typed default methods' decoding. */
    static final class Stub implements ProviderPlugin {
        final JsonNode chat;
        final JsonNode chunk;
        final JsonNode completion;
        JsonNode lastRequest;

        Stub(JsonNode chat, JsonNode chunk, JsonNode completion) {
            this.chat = chat;
            this.chunk = chunk;
            this.completion = completion;
        }

        @Override public String name() { return "stub"; }
        @Override public String apiKeyName() { return null; }
        @Override public String baseUrl() { return null; }
        @Override public JsonNode configSchema() { return QmtJson.parse("{}"); }
        @Override public Set<Capability> capabilities() { return Set.of(Capability.CHAT, Capability.CHAT_STREAM, Capability.COMPLETE); }
        @Override public JsonNode fromConfig(JsonNode cfg) { return cfg; }
        @Override public List<String> listModels(JsonNode cfg) { return List.of(); }
        @Override public JsonNode chat(JsonNode cfg, JsonNode messages, JsonNode tools) { return chat; }
        @Override public void chatStream(JsonNode cfg, JsonNode messages, JsonNode tools, Consumer<JsonNode> consumer) { consumer.accept(chunk); }
        @Override public float[][] embed(JsonNode cfg, List<String> inputs) { return new float[0][]; }
        @Override public JsonNode complete(JsonNode cfg, JsonNode req) { lastRequest = req; return completion; }
        @Override public JsonNode transcribe(JsonNode cfg, JsonNode req) { throw new UnsupportedOperationException(); }
        @Override public JsonNode speech(JsonNode cfg, JsonNode req) { throw new UnsupportedOperationException(); }
        @Override public byte[] call(String function, byte[] input) { throw new UnsupportedOperationException(); }
        @Override public void close() { }
    }
}
