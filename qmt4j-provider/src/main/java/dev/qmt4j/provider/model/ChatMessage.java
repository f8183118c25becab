package dev.qmt4j.provider.model;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation: {@code {"role":"User"|"Assistant","content":[Content...],"cache"?}}
 * ({@code cache} omitted when null).
 *
 * @param role who sent it
 * @param content the blocks, in order
 * @param cache prompt-cache hint, or null
 */
public record ChatMessage(ChatRole role, List<Content> content, CacheHint cache) {
    /** Checks and copies. */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    /** A user message with one text block. */
    public static ChatMessage user(String text) {
        return new ChatMessage(ChatRole.USER, List.of(new Content.Text(text)), null);
    }

    /** An assistant message with one text block. */
    public static ChatMessage assistant(String text) {
        return new ChatMessage(ChatRole.ASSISTANT, List.of(new Content.Text(text)), null);
    }

    /** An assistant message replaying the tool calls it made (arguments parsed from their JSON strings). */
    public static ChatMessage toolUse(List<ToolCall> calls) {
        return new ChatMessage(ChatRole.ASSISTANT, calls.stream()
                .<Content>map(c -> new Content.ToolUse(c.id(), c.function().name(), c.parsedArguments()))
                .toList(), null);
    }

    /** A user message carrying the text result of tool call {@code callId}. */
    public static ChatMessage toolResult(String callId, String name, String result, boolean isError) {
        return new ChatMessage(ChatRole.USER,
                List.of(new Content.ToolResult(callId, name, isError, List.of(new Content.Text(result)))), null);
    }

    /** The concatenated text blocks. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Content c : content) {
            if (c instanceof Content.Text t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }
}
