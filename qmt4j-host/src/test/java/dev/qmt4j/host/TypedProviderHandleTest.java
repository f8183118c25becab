package dev.qmt4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatResponse;
import dev.qmt4j.provider.model.EmbeddingRequest;
import dev.qmt4j.provider.model.EmbeddingResponse;
import dev.qmt4j.provider.model.FinishReason;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.provider.model.Tool;
import dev.qmt4j.provider.model.ToolCall;
import dev.qmt4j.provider.model.Usage;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProviderHandle's typed overloads on a config-loaded qmt-openai provider against the OpenAI test server. */
class TypedProviderHandleTest {
    @TempDir
    Path tmp;
    private OpenAiTestServer openai;
    private PluginRegistry registry;

    @BeforeEach
    void start() throws Exception {
        openai = OpenAiTestServer.start();
        Path wasm = tmp.resolve("openai.wasm");
        Files.copy(TestPlugins.path(TestPlugins.QMT_OPENAI), wasm);
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, "[[providers]]\nname = \"oa\"\npath = \"openai.wasm\"\n[providers.config]\nbase_url = \""
                + openai.url() + "/v1\"\nmodel = \"" + OpenAiTestServer.MODEL_A + "\"\n");
        registry = PluginRegistry.builder().config(cfg).env(Map.of("OPENAI_API_KEY", openai.apiKey())).home(tmp)
                .cacheDir(tmp.resolve("cache")).build();
    }

    @AfterEach
    void stop() {
        registry.close();
        openai.close();
    }

    @Test
    void typedChatToolsStreamAndEmbed() {
        ProviderHandle h = registry.builder("oa").build();
        ChatResponse r = h.chat(List.of(ChatMessage.user("hi there")), null);
        assertEquals("Echo: hi there", r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(new Usage(2, 3, 0, 0, 0), r.usage());

        Tool tool = Tool.function("lookup", "Look it up", QmtJson.parse("{\"type\":\"object\",\"properties\":{}}"));
        ChatResponse call = h.chat(List.of(ChatMessage.user("find x")), List.of(tool));
        assertNull(call.text());
        assertEquals(List.of(ToolCall.function(OpenAiTestServer.TOOL_CALL_ID, "lookup", "{\"input\":\"find x\"}")), call.toolCalls());
        assertEquals(FinishReason.TOOL_CALLS, call.finishReason());

        List<StreamChunk> chunks = new ArrayList<>();
        h.chatStream(List.of(ChatMessage.user("one two")), null, chunks::add);
        assertEquals(List.of(new StreamChunk.Text("Echo: "), new StreamChunk.Text("one "), new StreamChunk.Text("two"),
                new StreamChunk.UsageChunk(new Usage(2, 3, 0, 0, 0)), new StreamChunk.Done(FinishReason.STOP)), chunks);

        EmbeddingResponse e = h.embed(new EmbeddingRequest(List.of("a", "b", "c")));
        assertEquals(3, e.vectors().size());
        assertEquals(OpenAiTestServer.EMBEDDING_DIMENSIONS, e.vectors().get(2).length);
    }
}
