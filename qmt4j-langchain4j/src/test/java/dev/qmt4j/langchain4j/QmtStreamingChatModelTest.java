package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QmtStreamingChatModel: a real SSE stream through qmt-openai, tool-call chunks, a plugin that cannot stream, errors, cancel. */
class QmtStreamingChatModelTest extends WithTestProviders {
    /** Records every callback, in order. */
    static class Recorder implements StreamingChatResponseHandler {
        final List<String> events = new ArrayList<>();
        final List<String> partials = new ArrayList<>();
        final List<PartialToolCall> partialCalls = new ArrayList<>();
        final List<CompleteToolCall> completeCalls = new ArrayList<>();
        ChatResponse complete;
        Throwable error;

        @Override
        public void onPartialResponse(String text) {
            events.add("partial");
            partials.add(text);
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            events.add("partialToolCall");
            partialCalls.add(call);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            events.add("completeToolCall");
            completeCalls.add(call);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            events.add("complete");
            complete = response;
        }

        @Override
        public void onError(Throwable t) {
            events.add("error");
            error = t;
        }
    }

    private StreamingChatModel model(String provider) {
        return QmtStreamingChatModel.builder().registry(providers.registry).provider(provider).build();
    }

    @Test
    void aStreamedReplyArrivesInPartsThenComplete() {
        Recorder r = new Recorder();
        model(TestProviders.OPENAI).chat("one two", r);
        assertNull(r.error);
        assertEquals(List.of("Echo: ", "one ", "two"), r.partials);
        assertEquals(List.of("partial", "partial", "partial", "complete"), r.events);
        assertEquals("Echo: one two", r.complete.aiMessage().text());
        assertEquals(new TokenUsage(2, 3, 5), r.complete.tokenUsage());
        assertEquals(FinishReason.STOP, r.complete.finishReason());
        assertEquals(OpenAiTestServer.MODEL_A, r.complete.modelName());
        assertTrue(providers.lastBody().contains("\"stream\":true"), providers.lastBody());
    }

    @Test
    void toolCallChunksAreAssembled() {
        ToolSpecification lookup = ToolSpecification.builder().name("lookup").description("Looks a word up")
                .parameters(JsonObjectSchema.builder().addStringProperty("input").build()).build();
        Recorder r = new Recorder();
        model(TestProviders.OPENAI).chat(ChatRequest.builder().messages(UserMessage.from("find it")).toolSpecifications(lookup).build(), r);
        assertNull(r.error);
        // the server streams the arguments in two pieces
        assertEquals(List.of("partialToolCall", "partialToolCall", "completeToolCall", "complete"), r.events);
        StringBuilder args = new StringBuilder();
        for (PartialToolCall p : r.partialCalls) {
            assertEquals(0, p.index());
            assertEquals(OpenAiTestServer.TOOL_CALL_ID, p.id());
            assertEquals("lookup", p.name());
            args.append(p.partialArguments());
        }
        ToolExecutionRequest expected = ToolExecutionRequest.builder().id(OpenAiTestServer.TOOL_CALL_ID).name("lookup")
                .arguments("{\"input\":\"find it\"}").build();
        assertEquals(expected.arguments(), args.toString());
        assertEquals(expected, r.completeCalls.get(0).toolExecutionRequest());
        assertEquals(List.of(expected), r.complete.aiMessage().toolExecutionRequests());
        assertEquals(FinishReason.TOOL_EXECUTION, r.complete.finishReason());
    }

    @Test
    void aPluginThatCannotStreamSendsItsWholeReplyAsOnePart() {
        Recorder r = new Recorder();
        model(TestProviders.LEGACY).chat("one two", r);
        assertNull(r.error);
        assertEquals(List.of("Echo: one two"), r.partials);
        assertEquals(List.of("partial", "complete"), r.events);
        assertEquals("Echo: one two", r.complete.aiMessage().text());
        assertEquals(FinishReason.STOP, r.complete.finishReason());
        assertTrue(!providers.lastBody().contains("\"stream\":true"), providers.lastBody());
    }

    @Test
    void errorsGoToOnError() {
        providers.server.rateLimitNext(2);
        Recorder r = new Recorder();
        model(TestProviders.OPENAI).chat("hi", r);
        assertEquals(List.of("error"), r.events);
        RateLimitException e = assertInstanceOf(RateLimitException.class, r.error);
        assertEquals(ProviderErrorKind.RATE_LIMITED, assertInstanceOf(ProviderException.class, e.getCause()).providerKind());
    }

    @Test
    void cancellingStopsTheStream() {
        List<String> seen = new ArrayList<>();
        Recorder r = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                seen.add(partial.text());
                context.streamingHandle().cancel();
            }
        };
        model(TestProviders.OPENAI).chat("one two three", r);
        assertEquals(List.of("Echo: "), seen);
        assertEquals(List.of(), r.events, "no completion and no error after cancel");
    }
}
