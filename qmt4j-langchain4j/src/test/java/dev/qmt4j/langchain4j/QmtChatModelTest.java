package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** QmtChatModel over the qmt-openai test plugin and the OpenAI test server: what reaches the API and what comes back. */
class QmtChatModelTest extends WithTestProviders {
    private ChatModel model() {
        return QmtChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI).build();
    }

    @Test
    void aRoundTripMapsMessagesParametersUsageAndFinishReason() {
        ChatModel model = QmtChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .modelName(OpenAiTestServer.MODEL_B).temperature(0.25).maxOutputTokens(64).build();
        ChatResponse r = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("first question"),
                        AiMessage.from("first answer"), UserMessage.from("hi there"))
                .topP(0.5).stopSequences(List.of("END")).build());

        assertEquals("Echo: hi there", r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        // prompt words: "Be brief." 2 + 2 + 2 + 2; reply "Echo: hi there" 3
        assertEquals(new TokenUsage(8, 3, 11), r.tokenUsage());
        assertEquals(OpenAiTestServer.MODEL_B, r.modelName());

        JsonNode sent = QmtJson.parse(providers.lastBody());
        assertEquals(OpenAiTestServer.MODEL_B, sent.get("model").stringValue());
        assertEquals(0.25, sent.get("temperature").doubleValue(), 1e-6);
        assertEquals(64, sent.get("max_tokens").intValue());
        assertEquals(0.5, sent.get("top_p").doubleValue(), 1e-6);
        assertEquals("END", sent.at("/stop/0").stringValue());
        assertEquals("system", sent.at("/messages/0/role").stringValue());
        assertEquals("Be brief.", sent.at("/messages/0/content").stringValue());
        assertEquals("assistant", sent.at("/messages/2/role").stringValue());
        assertEquals("first answer", sent.at("/messages/2/content").stringValue());
        assertEquals("hi there", sent.at("/messages/3/content").stringValue());

        assertEquals("Echo: plain", QmtChatModel.of(providers.registry.require(TestProviders.OPENAI)).chat("plain"));
    }

    @Test
    void toolSpecificationsGoOutAndToolCallsComeBackAsExecutionRequests() {
        ToolSpecification lookup = ToolSpecification.builder().name("lookup").description("Looks a word up")
                .parameters(JsonObjectSchema.builder().addStringProperty("input", "the word").required("input").build()).build();
        UserMessage question = UserMessage.from("find qmt4j");
        ChatResponse r = model().chat(ChatRequest.builder().messages(question).toolSpecifications(lookup).build());

        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
        assertNull(r.aiMessage().text());
        ToolExecutionRequest call = r.aiMessage().toolExecutionRequests().get(0);
        assertEquals(ToolExecutionRequest.builder().id(OpenAiTestServer.TOOL_CALL_ID).name("lookup")
                .arguments("{\"input\":\"find qmt4j\"}").build(), call);
        JsonNode tool = QmtJson.parse(providers.lastBody()).at("/tools/0/function");
        assertEquals("lookup", tool.get("name").stringValue());
        assertEquals("Looks a word up", tool.get("description").stringValue());
        assertEquals("string", tool.at("/parameters/properties/input/type").stringValue());
        assertEquals("input", tool.at("/parameters/required/0").stringValue());

        // The call and its result go back as the assistant's tool call and a tool message.
        ChatResponse answer = model().chat(ChatRequest.builder().messages(question, r.aiMessage(),
                ToolExecutionResultMessage.from(call, "a JVM host")).toolSpecifications(lookup).build());
        assertEquals("Tool result: a JVM host", answer.aiMessage().text());
        JsonNode msgs = QmtJson.parse(providers.lastBody()).get("messages");
        assertEquals(OpenAiTestServer.TOOL_CALL_ID, msgs.at("/1/tool_calls/0/id").stringValue());
        assertEquals("{\"input\":\"find qmt4j\"}", msgs.at("/1/tool_calls/0/function/arguments").stringValue());
        assertEquals("tool", msgs.at("/2/role").stringValue());
        assertEquals(OpenAiTestServer.TOOL_CALL_ID, msgs.at("/2/tool_call_id").stringValue());
    }

    @Test
    void errorsAreLangChain4jExceptionsWithTheQmt4jErrorAsCause() {
        providers.server.rateLimitNext(7);
        RateLimitException limited = assertThrows(RateLimitException.class, () -> model().chat("hi"));
        ProviderException cause = assertInstanceOf(ProviderException.class, limited.getCause());
        assertEquals(ProviderErrorKind.RATE_LIMITED, cause.providerKind());
        assertEquals(7, cause.retryAfterSeconds().getAsLong());

        providers.server.failNext(400, -1, "bad request");
        InvalidRequestException invalid = assertThrows(InvalidRequestException.class, () -> model().chat("hi"));
        assertEquals(ProviderErrorKind.INVALID_REQUEST, ((ProviderException) invalid.getCause()).providerKind());

        providers.server.failNext(503, -1, "overloaded");
        InternalServerException server = assertThrows(InternalServerException.class, () -> model().chat("hi"));
        assertEquals(503, ((ProviderException) server.getCause()).httpStatus().getAsInt());

        ChatModel wrongKey = QmtChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .config("api_key", "sk-wrong").build();
        AuthenticationException auth = assertThrows(AuthenticationException.class, () -> wrongKey.chat("hi"));
        assertEquals(ProviderErrorKind.AUTHENTICATION, ((ProviderException) auth.getCause()).providerKind());
        assertTrue(auth.getMessage().contains("Incorrect API key"), auth.getMessage());
    }

    @Test
    void parametersThePluginCannotTakeAreRefusedNotDropped() {
        // qmt-legacy has no config_schema: nothing declares "stop", and QueryMT has no common key for it.
        ChatModel legacy = QmtChatModel.builder().registry(providers.registry).provider(TestProviders.LEGACY).build();
        int before = providers.server.requests().size();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> legacy.chat(ChatRequest.builder().messages(UserMessage.from("hi")).stopSequences(List.of("END")).build()));
        assertTrue(e.getMessage().contains("stop sequences"), e.getMessage());
        assertEquals(before, providers.server.requests().size(), "nothing was sent");
        assertThrows(UnsupportedFeatureException.class,
                () -> model().chat(ChatRequest.builder().messages(UserMessage.from("hi")).frequencyPenalty(0.5).build()));
        assertEquals("Echo: hi", legacy.chat("hi"));
    }

    @Test
    void capabilitiesComeFromThePluginsExports() {
        QmtChatModel openai = QmtChatModel.of(providers.registry.require(TestProviders.OPENAI));
        assertEquals(Set.of(), openai.supportedCapabilities());
        Set<dev.qmt4j.provider.Capability> exported = QmtCapabilities.of(openai.handle());
        assertTrue(exported.containsAll(Set.of(dev.qmt4j.provider.Capability.CHAT, dev.qmt4j.provider.Capability.CHAT_STREAM,
                dev.qmt4j.provider.Capability.EMBED)), exported.toString());
        Set<dev.qmt4j.provider.Capability> legacy = QmtCapabilities.of(providers.registry.require(TestProviders.LEGACY));
        assertTrue(legacy.contains(dev.qmt4j.provider.Capability.CHAT), legacy.toString());
        assertTrue(!legacy.contains(dev.qmt4j.provider.Capability.CHAT_STREAM), legacy.toString());
    }

    /** What the three builders share: the model name and config keys reach the handle, or a ready handle is used as it is. */
    @Test
    void everyBuilderBuildsTheHandleWithItsModelNameAndConfigKeys() {
        QmtChatModel chat = QmtChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .modelName(OpenAiTestServer.MODEL_B).config("temperature", 0.25).build();
        assertEquals(OpenAiTestServer.MODEL_B, chat.handle().config().get("model").stringValue());
        assertEquals(0.25, chat.handle().config().get("temperature").doubleValue());
        assertEquals(OpenAiTestServer.MODEL_B, chat.defaultRequestParameters().modelName());

        QmtStreamingChatModel streaming = QmtStreamingChatModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .defaultRequestParameters(ChatRequestParameters.builder().modelName(OpenAiTestServer.MODEL_B).build()).build();
        assertEquals(OpenAiTestServer.MODEL_B, streaming.handle().config().get("model").stringValue());

        QmtEmbeddingModel embedding = QmtEmbeddingModel.builder().registry(providers.registry).provider(TestProviders.OPENAI)
                .modelName("text-embedding-test").build();
        assertEquals("text-embedding-test", embedding.handle().config().get("model").stringValue());
        assertSame(chat.handle(), QmtEmbeddingModel.builder().handle(chat.handle()).config("temperature", 1.0).build().handle());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QmtEmbeddingModel.builder().provider(TestProviders.OPENAI).build());
        assertEquals("set registry(...) and provider(...), or handle(...)", e.getMessage());
    }
}
