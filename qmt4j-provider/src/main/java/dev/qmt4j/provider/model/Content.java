package dev.qmt4j.provider.model;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One block of a {@link ChatMessage}'s content: QueryMT's {@code Content} enum, internally tagged
 * by {@code "type"} in snake_case. Binary data ({@code Vec<u8>}) is a {@link Bytes} value, in JSON
 * an array of numbers. Optional fields are omitted from the JSON when null.
 */
public sealed interface Content {
    /** {@code {"type":"text","text"}}. @param text the text */
    record Text(String text) implements Content {
        /** Checks the text. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code {"type":"image","mime_type","data":[bytes]}}. @param mimeType e.g. image/png @param data raw bytes */
    record Image(String mimeType, Bytes data) implements Content {
        /** Checks the fields. */
        public Image {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(data, "data");
        }

        /** An image of a copy of {@code data}. */
        public Image(String mimeType, byte[] data) {
            this(mimeType, Bytes.of(data));
        }
    }

    /** {@code {"type":"image_url","url"}}. @param url image location */
    record ImageUrl(String url) implements Content {
        /** Checks the url. */
        public ImageUrl {
            Objects.requireNonNull(url, "url");
        }
    }

    /** {@code {"type":"pdf","data":[bytes]}}. @param data the document */
    record Pdf(Bytes data) implements Content {
        /** Checks the data. */
        public Pdf {
            Objects.requireNonNull(data, "data");
        }

        /** A document of a copy of {@code data}. */
        public Pdf(byte[] data) {
            this(Bytes.of(data));
        }
    }

    /** {@code {"type":"audio","mime_type","data":[bytes]}}. @param mimeType e.g. audio/wav @param data raw bytes */
    record Audio(String mimeType, Bytes data) implements Content {
        /** Checks the fields. */
        public Audio {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(data, "data");
        }

        /** Audio of a copy of {@code data}. */
        public Audio(String mimeType, byte[] data) {
            this(mimeType, Bytes.of(data));
        }
    }

    /** {@code {"type":"thinking","text","signature"?}}. @param text reasoning @param signature or null */
    record Thinking(String text, String signature) implements Content {
        /** Checks the text. */
        public Thinking {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code {"type":"tool_use","id","name","arguments"}}: a call the assistant made.
     *
     * @param id call id
     * @param name function name
     * @param arguments the arguments as a JSON value (not a string, unlike {@link FunctionCall})
     */
    record ToolUse(String id, String name, JsonNode arguments) implements Content {
        /** Checks the fields. */
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /**
     * {@code {"type":"tool_result","id","name"?,"is_error","content":[...]}}: the answer to a tool call.
     *
     * @param id the call id it answers
     * @param name function name, or null
     * @param isError whether the tool failed
     * @param content the result blocks
     */
    record ToolResult(String id, String name, boolean isError, List<Content> content) implements Content {
        /** Checks and copies. */
        public ToolResult {
            Objects.requireNonNull(id, "id");
            content = List.copyOf(content);
        }
    }

    /**
     * {@code {"type":"resource_link","uri","name"?,"description"?,"mime_type"?}}.
     *
     * @param uri the resource
     * @param name or null
     * @param description or null
     * @param mimeType or null
     */
    record ResourceLink(String uri, String name, String description, String mimeType) implements Content {
        /** Checks the uri. */
        public ResourceLink {
            Objects.requireNonNull(uri, "uri");
        }
    }
}
