package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatRole;
import dev.qmt4j.provider.model.Content;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.Tool;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message and tool mapping of docs/langchain4j.md, checked on QueryMT's JSON itself, for the
 * parts the qmt-openai test plugin does not pass on to its server (images, PDFs, audio, thinking).
 */
class ChatMappingTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void messagesBecomeQueryMtMessagesAndSystemMessagesTheSystemKey() {
        ToolExecutionRequest a = ToolExecutionRequest.builder().id("c1").name("f").arguments("{\"x\":1}").build();
        ToolExecutionRequest b = ToolExecutionRequest.builder().id("c2").name("g").arguments("not json").build();
        StringBuilder system = new StringBuilder();
        List<ChatMessage> out = ChatMapping.messages(List.of(
                SystemMessage.from("Be brief."),
                UserMessage.from(TextContent.from("look:"), ImageContent.from(b64("png"), "image/png"),
                        ImageContent.from("https://example.com/cat.jpg"), PdfFileContent.from(b64("%PDF"), "application/pdf"),
                        AudioContent.from(b64("RIFF"), "audio/wav")),
                AiMessage.builder().thinking("hmm").text("calling").toolExecutionRequests(List.of(a, b)).build(),
                ToolExecutionResultMessage.from(a, "one"),
                ToolExecutionResultMessage.builder().id("c2").toolName("g").text("failed").isError(true).build(),
                SystemMessage.from("Use metric units.")), system);

        assertEquals("Be brief.\n\nUse metric units.", system.toString());
        assertEquals(3, out.size());
        assertEquals(QmtJson.parse("""
                {"role":"User","content":[{"type":"text","text":"look:"},
                 {"type":"image","mime_type":"image/png","data":[112,110,103]},
                 {"type":"image_url","url":"https://example.com/cat.jpg"},
                 {"type":"pdf","data":[37,80,68,70]},
                 {"type":"audio","mime_type":"audio/wav","data":[82,73,70,70]}]}"""), QmtJson.toJson(out.get(0)));
        assertEquals(QmtJson.parse("""
                {"role":"Assistant","content":[{"type":"thinking","text":"hmm"},{"type":"text","text":"calling"},
                 {"type":"tool_use","id":"c1","name":"f","arguments":{"x":1}},
                 {"type":"tool_use","id":"c2","name":"g","arguments":"not json"}]}"""), QmtJson.toJson(out.get(1)));
        // the results of one turn's calls form one user message, as QueryMT expects
        assertEquals(new ChatMessage(ChatRole.USER, List.of(
                new Content.ToolResult("c1", "f", false, List.of(new Content.Text("one"))),
                new Content.ToolResult("c2", "g", true, List.of(new Content.Text("failed")))), null), out.get(2));
    }

    @Test
    void contentWithoutAQueryMtBlockIsRefused() {
        StringBuilder system = new StringBuilder();
        assertThrows(UnsupportedFeatureException.class, () -> ChatMapping.messages(
                List.of(UserMessage.from(VideoContent.from("https://example.com/v.mp4"))), system));
        assertThrows(UnsupportedFeatureException.class, () -> ChatMapping.messages(
                List.of(UserMessage.from(PdfFileContent.from(java.net.URI.create("https://example.com/a.pdf")))), system));
    }

    @Test
    void toolSpecificationsBecomeFunctionTools() {
        Tool t = ChatMapping.tool(ToolSpecification.builder().name("weather").description("Weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city", "the city").addIntegerProperty("days")
                        .required("city").build()).strict(true).build());
        assertEquals(QmtJson.parse("""
                {"type":"function","function":{"name":"weather","description":"Weather for a city",
                 "parameters":{"type":"object","properties":{"city":{"type":"string","description":"the city"},
                 "days":{"type":"integer"}},"required":["city"]},"strict":true}}"""), QmtJson.toJson(t));
        Tool bare = ChatMapping.tool(ToolSpecification.builder().name("now").build());
        assertEquals(QmtJson.parse("""
                {"type":"function","function":{"name":"now","description":"","parameters":{"type":"object","properties":{}}}}"""),
                QmtJson.toJson(bare));
    }
}
