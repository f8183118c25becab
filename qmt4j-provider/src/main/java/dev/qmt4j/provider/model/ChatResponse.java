package dev.qmt4j.provider.model;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The result of one chat turn ({@code ExtismChatResponse}): {@code {"text","tool_calls","thinking",
 * "usage","finish_reason"}}, each written (as {@code null} when absent), plus {@code "output"} only
 * when set.
 *
 * @param text the answer text, or null
 * @param toolCalls requested calls, or null
 * @param thinking reasoning text, or null
 * @param usage token counts, or null
 * @param finishReason why it stopped, or null
 * @param output QueryMT's item-aware {@code ChatOutput}, kept as raw JSON, or null
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, String thinking, Usage usage,
                           FinishReason finishReason, JsonNode output) {
    /** Copies the list. */
    public ChatResponse {
        toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    }

    /** A response without {@code output}. */
    public ChatResponse(String text, List<ToolCall> toolCalls, String thinking, Usage usage, FinishReason finishReason) {
        this(text, toolCalls, thinking, usage, finishReason, null);
    }

    /** The tool calls, empty when none. */
    public List<ToolCall> toolCallsOrEmpty() {
        return toolCalls == null ? List.of() : toolCalls;
    }
}
