package dev.qmt4j.provider.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Literal QueryMT JSON samples: JSON -> record -> JSON gives the same tree and the same compact text. */
class QmtJsonTest {

    /** Reads {@code json}, writes it back, and checks both tree and byte equality (serde's field order). */
    static <T> T roundTrip(String json, Function<JsonNode, T> read, Function<T, JsonNode> write) {
        JsonNode in = QmtJson.parse(json);
        T value = read.apply(in);
        JsonNode out = write.apply(value);
        assertEquals(in, out, json);
        assertEquals(QmtJson.write(in), QmtJson.write(out));
        assertEquals(value, read.apply(out));
        return value;
    }

    @Test
    void chatMessageWithEveryContentBlock() {
        ChatMessage m = roundTrip("""
                {"role":"User","content":[
                 {"type":"text","text":"look"},
                 {"type":"image","mime_type":"image/png","data":[137,80,0,255]},
                 {"type":"image_url","url":"https://x/y.png"},
                 {"type":"pdf","data":[37,80]},
                 {"type":"audio","mime_type":"audio/wav","data":[]},
                 {"type":"tool_result","id":"c1","name":"get_weather","is_error":false,"content":[{"type":"text","text":"sunny"}]},
                 {"type":"tool_result","id":"c2","is_error":true,"content":[]},
                 {"type":"resource_link","uri":"file:///a","mime_type":"text/plain"},
                 {"type":"resource_link","uri":"file:///b","name":"b","description":"d","mime_type":"text/x"}
                ],"cache":{"ephemeral":{"ttl_seconds":300}}}""", QmtJson::chatMessage, QmtJson::toJson);
        assertEquals(ChatRole.USER, m.role());
        assertArrayEquals(new byte[] {(byte) 137, 80, 0, (byte) 255}, ((Content.Image) m.content().get(1)).data().toArray());
        Content.ToolResult r = (Content.ToolResult) m.content().get(5);
        assertEquals("c1", r.id());
        assertFalse(r.isError());
        assertEquals(new Content.Text("sunny"), r.content().get(0));
        assertNull(((Content.ToolResult) m.content().get(6)).name());
        assertEquals(300L, m.cache().ttlSeconds());
        assertEquals("look", m.text());
    }

    @Test
    void assistantMessageWithThinkingAndToolUse() {
        ChatMessage m = roundTrip("""
                {"role":"Assistant","content":[
                 {"type":"thinking","text":"hmm"},
                 {"type":"thinking","text":"sig","signature":"abc"},
                 {"type":"text","text":"calling"},
                 {"type":"tool_use","id":"c1","name":"f","arguments":{"city":"Oslo","days":[1,2]}}
                ]}""", QmtJson::chatMessage, QmtJson::toJson);
        assertEquals(ChatRole.ASSISTANT, m.role());
        assertNull(m.cache());
        assertEquals("Oslo", ((Content.ToolUse) m.content().get(3)).arguments().get("city").stringValue());
        roundTrip("{\"role\":\"User\",\"content\":[],\"cache\":{\"ephemeral\":{}}}", QmtJson::chatMessage, QmtJson::toJson);
    }

    @Test
    void messageHelpersProduceQueryMtShapes() {
        assertEquals(QmtJson.parse("{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}"),
                QmtJson.toJson(ChatMessage.user("hi")));
        ChatMessage replay = ChatMessage.toolUse(List.of(ToolCall.function("c1", "f", "{\"a\":1}")));
        assertEquals(QmtJson.parse("{\"role\":\"Assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"f\",\"arguments\":{\"a\":1}}]}"),
                QmtJson.toJson(replay));
        assertEquals(QmtJson.parse("{\"role\":\"User\",\"content\":[{\"type\":\"tool_result\",\"id\":\"c1\",\"name\":\"f\","
                + "\"is_error\":false,\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}]}"),
                QmtJson.toJson(ChatMessage.toolResult("c1", "f", "ok", false)));
    }

    @Test
    void toolsAndToolCalls() {
        Tool t = roundTrip("""
                {"type":"function","function":{"name":"get_weather","description":"Weather",
                 "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""",
                QmtJson::tool, QmtJson::toJson);
        assertNull(t.function().strict());
        assertEquals("object", t.function().parameters().get("type").stringValue());
        assertTrue(roundTrip("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"\",\"parameters\":{},\"strict\":true}}",
                QmtJson::tool, QmtJson::toJson).function().strict());
        ToolCall c = roundTrip("{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}}",
                QmtJson::toolCall, QmtJson::toJson);
        assertEquals("{\"x\":1}", c.function().arguments());
        assertEquals(1, c.parsedArguments().get("x").intValue());
        assertNull(QmtJson.tools((List<Tool>) null));
        assertNull(QmtJson.tools((JsonNode) null));
    }

    @Test
    void usageFieldsAndAliases() {
        Usage u = roundTrip("{\"input_tokens\":12,\"output_tokens\":3,\"reasoning_tokens\":1,\"cache_read\":4,\"cache_write\":4294967295}",
                QmtJson::usage, QmtJson::toJson);
        assertEquals(new Usage(12, 3, 1, 4, 4294967295L), u);
        // serde aliases and defaults: OpenAI names, missing reasoning/cache counts.
        assertEquals(Usage.of(7, 2), QmtJson.usage(QmtJson.parse("{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}")));
        QmtJsonException e = assertThrows(QmtJsonException.class, () -> QmtJson.usage(QmtJson.parse("{\"input_tokens\":-1,\"output_tokens\":0}")));
        assertEquals("/input_tokens", e.path());
        assertThrows(QmtJsonException.class, () -> QmtJson.usage(QmtJson.parse("{\"input_tokens\":4294967296,\"output_tokens\":0}")));
    }

    @Test
    void chatResponsesWriteNullsButNotOutput() {
        ChatResponse r = roundTrip("""
                {"text":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}],
                 "thinking":"t","usage":{"input_tokens":1,"output_tokens":2,"reasoning_tokens":0,"cache_read":0,"cache_write":0},
                 "finish_reason":"ToolCalls"}""", QmtJson::chatResponse, QmtJson::toJson);
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
        assertNull(r.output());
        ChatResponse empty = roundTrip("{\"text\":\"hi\",\"tool_calls\":null,\"thinking\":null,\"usage\":null,\"finish_reason\":null}",
                QmtJson::chatResponse, QmtJson::toJson);
        assertEquals(List.of(), empty.toolCallsOrEmpty());
        roundTrip("{\"text\":null,\"tool_calls\":null,\"thinking\":null,\"usage\":null,\"finish_reason\":\"Stop\",\"output\":{\"items\":[]}}",
                QmtJson::chatResponse, QmtJson::toJson);
        // Missing Option fields read as null (serde default), and are written back as null.
        assertEquals(new ChatResponse("x", null, null, null, null), QmtJson.chatResponse(QmtJson.parse("{\"text\":\"x\"}")));
        for (FinishReason f : FinishReason.values()) {
            assertEquals(f, QmtJson.chatResponse(QmtJson.parse("{\"finish_reason\":\"" + f.wire() + "\"}")).finishReason());
        }
        assertEquals("/finish_reason", assertThrows(QmtJsonException.class,
                () -> QmtJson.chatResponse(QmtJson.parse("{\"finish_reason\":\"stop\"}"))).path());
    }

    @Test
    void streamChunksAreExternallyTagged() {
        String[] samples = {
            "{\"text\":\"Echo \"}",
            "{\"thinking\":\"hm\"}",
            "{\"thinking_signature\":\"sig\"}",
            "{\"tool_use_start\":{\"index\":0,\"id\":\"call_1\",\"name\":\"get_weather\"}}",
            "{\"tool_use_input_delta\":{\"index\":0,\"partial_json\":\"{\\\"in\"}}",
            "{\"tool_use_complete\":{\"index\":0,\"tool_call\":{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}}}",
            "{\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"reasoning_tokens\":0,\"cache_read\":0,\"cache_write\":0}}",
            "{\"done\":{\"finish_reason\":\"Stop\"}}",
            "{\"structured\":{\"type\":\"response_terminal\"}}",
        };
        for (String s : samples) {
            roundTrip(s, QmtJson::streamChunk, QmtJson::toJson);
        }
        assertEquals(new StreamChunk.Done(FinishReason.LENGTH), QmtJson.streamChunk(QmtJson.parse("{\"done\":{\"finish_reason\":\"Length\"}}")));
        assertThrows(QmtJsonException.class, () -> QmtJson.streamChunk(QmtJson.parse("{\"text\":\"a\",\"thinking\":\"b\"}")));
        assertThrows(QmtJsonException.class, () -> QmtJson.streamChunk(QmtJson.parse("{\"Text\":\"a\"}")));
        assertEquals("/tool_use_start/id", assertThrows(QmtJsonException.class,
                () -> QmtJson.streamChunk(QmtJson.parse("{\"tool_use_start\":{\"index\":0,\"name\":\"f\"}}"))).path());
    }

    @Test
    void completionWritesEveryField() {
        CompletionRequest r = roundTrip("{\"prompt\":\"fn main\",\"suffix\":null,\"max_tokens\":null,\"temperature\":null}",
                QmtJson::completionRequest, QmtJson::toJson);
        assertEquals(CompletionRequest.of("fn main"), r);
        CompletionRequest full = roundTrip("{\"prompt\":\"p\",\"suffix\":\"}\",\"max_tokens\":64,\"temperature\":0.7}",
                QmtJson::completionRequest, QmtJson::toJson);
        assertEquals(0.7f, full.temperature());
        assertEquals("{\"prompt\":\"p\",\"suffix\":null,\"max_tokens\":null,\"temperature\":0.2}",
                QmtJson.write(QmtJson.toJson(new CompletionRequest("p", null, null, 0.2f))));
        roundTrip("{\"text\":\"() {}\"}", QmtJson::completionResponse, QmtJson::toJson);
    }

    @Test
    void embeddings() {
        roundTrip("{\"inputs\":[\"a\",\"b c\"]}", QmtJson::embeddingRequest, QmtJson::toJson);
        EmbeddingResponse e = roundTrip("[[0.5,-1.25,0.1],[]]", QmtJson::embeddingResponse, QmtJson::toJson);
        assertArrayEquals(new float[] {0.5f, -1.25f, 0.1f}, e.toArray()[0]);
        assertEquals(0, e.toArray()[1].length);
    }

    @Test
    void transcribeAndSpeechOmitAbsentOptions() {
        roundTrip("{\"audio_base64\":\"AAE=\"}", QmtJson::transcribeRequest, QmtJson::toJson);
        roundTrip("{\"audio_base64\":\"AAE=\",\"filename\":\"a.wav\",\"mime_type\":\"audio/wav\",\"model\":\"whisper-1\",\"language\":\"en\"}",
                QmtJson::transcribeRequest, QmtJson::toJson);
        assertEquals("AAE=", TranscribeRequest.of(new byte[] {0, 1}, null).audioBase64());
        roundTrip("{\"text\":\"hello\"}", QmtJson::transcribeResponse, QmtJson::toJson);
        roundTrip("{\"text\":\"hi\"}", QmtJson::speechRequest, QmtJson::toJson);
        roundTrip("{\"text\":\"hi\",\"model\":\"tts-1\",\"voice_config\":{\"type\":\"preset\",\"name\":\"alloy\"},\"format\":\"mp3\",\"speed\":1.5,\"language\":\"en\"}",
                QmtJson::speechRequest, QmtJson::toJson);
        SpeechRequest clone = roundTrip("{\"text\":\"hi\",\"voice_config\":{\"type\":\"clone\",\"reference_audio_base64\":\"AAE=\",\"reference_text\":\"ref\"}}",
                QmtJson::speechRequest, QmtJson::toJson);
        assertEquals(new VoiceConfig.Clone("AAE=", "ref"), clone.voiceConfig());
        roundTrip("{\"text\":\"hi\",\"voice_config\":{\"type\":\"design\",\"description\":\"a calm voice\"}}", QmtJson::speechRequest, QmtJson::toJson);
        SpeechResponse s = roundTrip("{\"audio_base64\":\"AAE=\",\"mime_type\":\"audio/mpeg\"}", QmtJson::speechResponse, QmtJson::toJson);
        assertEquals(Bytes.of(new byte[] {0, 1}), s.audio());
        roundTrip("{\"audio_base64\":\"\"}", QmtJson::speechResponse, QmtJson::toJson);
    }

    @Test
    void readersIgnoreUnknownFieldsAndNameTheBadPath() {
        assertEquals(new CompletionResponse("x"), QmtJson.completionResponse(QmtJson.parse("{\"text\":\"x\",\"extra\":1}")));
        assertEquals("/content/1/text", assertThrows(QmtJsonException.class, () -> QmtJson.chatMessage(QmtJson.parse(
                "{\"role\":\"User\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\"}]}"))).path());
        assertEquals("/role", assertThrows(QmtJsonException.class, () -> QmtJson.chatMessage(QmtJson.parse(
                "{\"role\":\"user\",\"content\":[]}"))).path());
        assertEquals("/content/0/type", assertThrows(QmtJsonException.class, () -> QmtJson.chatMessage(QmtJson.parse(
                "{\"role\":\"User\",\"content\":[{\"type\":\"video\"}]}"))).path());
        assertEquals("/content/0/data/1", assertThrows(QmtJsonException.class, () -> QmtJson.chatMessage(QmtJson.parse(
                "{\"role\":\"User\",\"content\":[{\"type\":\"pdf\",\"data\":[1,256]}]}"))).path());
        assertEquals("/voice_config/type", assertThrows(QmtJsonException.class, () -> QmtJson.speechRequest(QmtJson.parse(
                "{\"text\":\"x\",\"voice_config\":{\"type\":\"robot\"}}"))).path());
        assertThrows(QmtJsonException.class, () -> QmtJson.parse("{not json"));
    }
}
