package dev.qmt4j.langchain4j;

import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onCompleteResponse;
import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onCompleteToolCall;
import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onPartialResponse;
import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onPartialThinking;
import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onPartialToolCall;
import static dev.langchain4j.internal.InternalStreamingChatResponseHandlerUtils.onUnmappedRawEvent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.qmt4j.provider.model.FinishReason;
import dev.qmt4j.provider.model.StreamChunk;
import dev.qmt4j.provider.model.ToolCall;
import dev.qmt4j.provider.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns QueryMT {@link StreamChunk}s into handler calls and assembles the complete response:
 * text deltas to {@code onPartialResponse}, thinking deltas to {@code onPartialThinking}, tool-use
 * start and argument deltas to {@code onPartialToolCall}, each finished call to
 * {@code onCompleteToolCall}, usage and the done chunk into the final {@link ChatResponse}. A
 * call whose {@code tool_use_complete} never came is completed from its start and deltas. Handler
 * exceptions are logged and ignored, as LangChain4j's own streaming models do.
 */
final class StreamAssembler implements Consumer<StreamChunk>, StreamingHandle {
    /** Thrown from the chunk consumer to stop the plugin's stream after {@link #cancel()}. */
    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("streaming cancelled by the handler", null, false, false);
        }
    }

    private static final class PendingCall {
        final String id;
        final String name;
        final StringBuilder args = new StringBuilder();

        PendingCall(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final StreamingChatResponseHandler handler;
    private final String modelName;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final Map<Long, PendingCall> pending = new TreeMap<>();
    private final Map<Long, ToolExecutionRequest> complete = new TreeMap<>();
    private Usage usage;
    private FinishReason finishReason;
    private volatile boolean cancelled;

    StreamAssembler(StreamingChatResponseHandler handler, String modelName) {
        this.handler = handler;
        this.modelName = modelName;
    }

    @Override
    public void accept(StreamChunk chunk) {
        if (cancelled) throw new Cancelled();
        // if-chain, not a pattern switch: the baseline is Java 17
        if (chunk instanceof StreamChunk.Text t) {
            text.append(t.text());
            onPartialResponse(handler, t.text(), this);
        } else if (chunk instanceof StreamChunk.Thinking t) {
            thinking.append(t.text());
            onPartialThinking(handler, t.text(), this);
        } else if (chunk instanceof StreamChunk.ToolUseStart st) {
            pending.put(st.index(), new PendingCall(st.id(), st.name()));
        } else if (chunk instanceof StreamChunk.ToolUseInputDelta d) {
            PendingCall p = pending.computeIfAbsent(d.index(), i -> new PendingCall(null, null));
            p.args.append(d.partialJson());
            onPartialToolCall(handler, PartialToolCall.builder().index((int) d.index()).id(p.id).name(p.name)
                    .partialArguments(d.partialJson()).build(), this);
        } else if (chunk instanceof StreamChunk.ToolUseComplete c) {
            completeCall(c.index(), ChatMapping.toolRequest(c.toolCall()));
        } else if (chunk instanceof StreamChunk.UsageChunk u) {
            usage = u.usage();
        } else if (chunk instanceof StreamChunk.Done d) {
            finishReason = d.finishReason();
        } else if (chunk instanceof StreamChunk.Structured st) {
            onUnmappedRawEvent(handler, st.event());
        } else {
            onUnmappedRawEvent(handler, chunk); // ThinkingSignature: LangChain4j has no place for it
        }
        if (cancelled) throw new Cancelled();
    }

    private void completeCall(long index, ToolExecutionRequest r) {
        if (complete.containsKey(index)) return;
        complete.put(index, r);
        onCompleteToolCall(handler, new CompleteToolCall((int) index, r));
    }

    /** Feeds a whole (non-streamed) response as the chunks a stream would have had. */
    void acceptWhole(dev.qmt4j.provider.model.ChatResponse r) {
        if (r.thinking() != null && !r.thinking().isEmpty()) accept(new StreamChunk.Thinking(r.thinking()));
        if (r.text() != null && !r.text().isEmpty()) accept(new StreamChunk.Text(r.text()));
        List<ToolCall> calls = r.toolCallsOrEmpty();
        for (int i = 0; i < calls.size(); i++) accept(new StreamChunk.ToolUseComplete(i, calls.get(i)));
        if (r.usage() != null) accept(new StreamChunk.UsageChunk(r.usage()));
        if (r.finishReason() != null) accept(new StreamChunk.Done(r.finishReason()));
    }

    /** Completes the calls that never got a {@code tool_use_complete}, then sends the full response. */
    void finish() {
        if (cancelled) return;
        for (Map.Entry<Long, PendingCall> e : pending.entrySet()) {
            PendingCall p = e.getValue();
            if (!complete.containsKey(e.getKey()) && p.name != null) {
                completeCall(e.getKey(), ToolExecutionRequest.builder().id(p.id).name(p.name)
                        .arguments(p.args.length() == 0 ? "{}" : p.args.toString()).build());
            }
        }
        List<ToolExecutionRequest> calls = new ArrayList<>(complete.values());
        ChatResponse response = ChatResponse.builder()
                .aiMessage(ChatMapping.aiMessage(text.toString(), thinking.toString(), calls))
                .modelName(modelName)
                .tokenUsage(ChatMapping.usage(usage))
                .finishReason(ChatMapping.finishReason(finishReason))
                .build();
        onCompleteResponse(handler, response);
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }
}
