package dev.qmt4j.provider.model;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One event of a streamed chat: QueryMT's {@code StreamChunk}, externally tagged in snake_case,
 * e.g. {@code {"text":"hi"}}, {@code {"tool_use_start":{"index":0,"id":"c1","name":"f"}}},
 * {@code {"done":{"finish_reason":"Stop"}}}.
 */
public sealed interface StreamChunk {
    /** {@code {"text":"..."}}: a text delta. @param text the delta */
    record Text(String text) implements StreamChunk {
        /** Checks the text. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code {"thinking":"..."}}: a reasoning delta. @param text the delta */
    record Thinking(String text) implements StreamChunk {
        /** Checks the text. */
        public Thinking {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code {"thinking_signature":"..."}}: signature of the finished thinking block. @param signature it */
    record ThinkingSignature(String signature) implements StreamChunk {
        /** Checks the signature. */
        public ThinkingSignature {
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** {@code {"tool_use_start":{"index","id","name"}}}. @param index block index @param id call id @param name function */
    record ToolUseStart(long index, String id, String name) implements StreamChunk {
        /** Checks the fields. */
        public ToolUseStart {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code {"tool_use_input_delta":{"index","partial_json"}}}. @param index block index @param partialJson argument text delta */
    record ToolUseInputDelta(long index, String partialJson) implements StreamChunk {
        /** Checks the fields. */
        public ToolUseInputDelta {
            Objects.requireNonNull(partialJson, "partialJson");
        }
    }

    /** {@code {"tool_use_complete":{"index","tool_call"}}}. @param index block index @param toolCall the assembled call */
    record ToolUseComplete(long index, ToolCall toolCall) implements StreamChunk {
        /** Checks the call. */
        public ToolUseComplete {
            Objects.requireNonNull(toolCall, "toolCall");
        }
    }

    /** {@code {"usage":Usage}}. @param usage token counts */
    record UsageChunk(Usage usage) implements StreamChunk {
        /** Checks the usage. */
        public UsageChunk {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** {@code {"done":{"finish_reason"}}}: the stream ended. @param finishReason why */
    record Done(FinishReason finishReason) implements StreamChunk {
        /** Checks the reason. */
        public Done {
            Objects.requireNonNull(finishReason, "finishReason");
        }
    }

    /** {@code {"structured":{...}}}: an item-aware event, kept as raw JSON. @param event the event */
    record Structured(JsonNode event) implements StreamChunk {
        /** Checks the event. */
        public Structured {
            Objects.requireNonNull(event, "event");
        }
    }
}
