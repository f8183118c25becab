package dev.qmt4j.langchain4j;

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
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.ProviderPlugin;
import dev.qmt4j.provider.model.ChatMessage;
import dev.qmt4j.provider.model.ChatResponse;
import dev.qmt4j.provider.model.ChatRole;
import dev.qmt4j.provider.model.Content;
import dev.qmt4j.provider.model.Tool;
import dev.qmt4j.provider.model.ToolCall;
import dev.qmt4j.provider.model.Usage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * LangChain4j chat requests to QueryMT's typed model and back (the table in docs/langchain4j.md).
 *
 * <p>QueryMT carries the request parameters in the provider config, not in the request, so each
 * call sends a copy of the handle's config with the request's parameters written over it:
 * {@code model}, {@code temperature}, {@code top_p}, {@code top_k}, {@code max_tokens} (QueryMT's
 * common keys, https://docs.query.mt/latest/core/builder) and {@code system} (QueryMT has no
 * system role; system messages become that key). Parameters without a common QueryMT key
 * (stop sequences, frequency and presence penalties) are sent as {@code stop},
 * {@code frequency_penalty}, {@code presence_penalty} only when the plugin's
 * {@code config_schema} declares them, and refused with {@link UnsupportedFeatureException}
 * otherwise, so that nothing set is silently dropped.
 */
final class ChatMapping {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private ChatMapping() {
    }

    /** One prepared plugin call: the per-request config, the messages, the tools (null for none). */
    record Call(ObjectNode config, List<ChatMessage> messages, List<Tool> tools, String modelName) {
        /** The chat turn through {@code handle}, on the version in service. */
        ChatResponse chat(ProviderHandle handle) {
            return handle.with(p -> p.chat(config, messages, tools));
        }
    }

    static Call prepare(ProviderHandle handle, ChatRequest request) {
        ChatRequestParameters p = request.parameters();
        ObjectNode cfg = (ObjectNode) handle.config();
        if (p.modelName() != null) cfg.put("model", p.modelName());
        if (p.temperature() != null) cfg.put("temperature", p.temperature());
        if (p.topP() != null) cfg.put("top_p", p.topP());
        if (p.topK() != null) cfg.put("top_k", p.topK());
        if (p.maxOutputTokens() != null) cfg.put("max_tokens", p.maxOutputTokens());
        JsonNode schemaProps = null;
        if (hasValues(p.stopSequences()) || p.frequencyPenalty() != null || p.presencePenalty() != null) {
            JsonNode schema = handle.with(ProviderPlugin::configSchema);
            schemaProps = schema == null ? null : schema.get("properties");
        }
        if (hasValues(p.stopSequences())) {
            requireDeclared(handle, schemaProps, "stop", "stop sequences");
            cfg.set("stop", JSON.valueToTree(p.stopSequences()));
        }
        if (p.frequencyPenalty() != null) {
            requireDeclared(handle, schemaProps, "frequency_penalty", "frequency penalty");
            cfg.put("frequency_penalty", p.frequencyPenalty());
        }
        if (p.presencePenalty() != null) {
            requireDeclared(handle, schemaProps, "presence_penalty", "presence penalty");
            cfg.put("presence_penalty", p.presencePenalty());
        }
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("provider '" + handle.name()
                    + "': JSON response formats are not mapped (QueryMT plugins do not say whether they support one);"
                    + " AI services fall back to format instructions in the prompt");
        }
        List<Tool> tools = null;
        if (hasValues(p.toolSpecifications())) {
            ToolChoice choice = p.toolChoice();
            if (choice == ToolChoice.REQUIRED) {
                throw new UnsupportedFeatureException("provider '" + handle.name()
                        + "': ToolChoice.REQUIRED is not mapped (QueryMT's config has no common tool_choice key)");
            }
            if (choice != ToolChoice.NONE) { // NONE: the model gets no tools, so it cannot call one
                tools = p.toolSpecifications().stream().map(ChatMapping::tool).toList();
            }
        }
        StringBuilder system = new StringBuilder();
        List<ChatMessage> messages = messages(request.messages(), system);
        if (system.length() > 0) cfg.put("system", system.toString());
        JsonNode model = cfg.get("model");
        return new Call(cfg, messages, tools, model != null && model.isString() ? model.stringValue() : null);
    }

    private static boolean hasValues(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static void requireDeclared(ProviderHandle handle, JsonNode props, String key, String what) {
        if (props == null || !props.has(key)) {
            throw new UnsupportedFeatureException("provider '" + handle.name() + "': " + what + " are not supported: "
                    + "QueryMT has no common config key for them and the plugin's config_schema declares no '" + key + "'");
        }
    }

    /** LangChain4j messages to QueryMT's; system messages are joined into {@code system}. */
    static List<ChatMessage> messages(List<dev.langchain4j.data.message.ChatMessage> in, StringBuilder system) {
        List<ChatMessage> out = new ArrayList<>();
        List<Content> toolResults = new ArrayList<>();
        for (dev.langchain4j.data.message.ChatMessage m : in) {
            if (!(m instanceof ToolExecutionResultMessage) && !toolResults.isEmpty()) {
                out.add(new ChatMessage(ChatRole.USER, toolResults, null));
                toolResults = new ArrayList<>();
            }
            if (m instanceof SystemMessage s) {
                if (system.length() > 0) system.append("\n\n");
                system.append(s.text());
            } else if (m instanceof UserMessage u) {
                out.add(new ChatMessage(ChatRole.USER, u.contents().stream().map(ChatMapping::content).toList(), null));
            } else if (m instanceof AiMessage a) {
                out.add(assistant(a));
            } else if (m instanceof ToolExecutionResultMessage r) {
                // QueryMT answers the calls of one assistant turn in one user message of tool_result blocks.
                toolResults.add(new Content.ToolResult(r.id(), r.toolName(), Boolean.TRUE.equals(r.isError()),
                        List.of(new Content.Text(r.text() == null ? "" : r.text()))));
            } else {
                throw new UnsupportedFeatureException("message type " + m.type() + " has no QueryMT equivalent");
            }
        }
        if (!toolResults.isEmpty()) out.add(new ChatMessage(ChatRole.USER, toolResults, null));
        return out;
    }

    private static ChatMessage assistant(AiMessage a) {
        List<Content> blocks = new ArrayList<>();
        if (a.thinking() != null && !a.thinking().isEmpty()) blocks.add(new Content.Thinking(a.thinking(), null));
        if (a.text() != null && !a.text().isEmpty()) blocks.add(new Content.Text(a.text()));
        for (ToolExecutionRequest r : a.toolExecutionRequests()) {
            blocks.add(new Content.ToolUse(r.id() == null ? "" : r.id(), r.name(), arguments(r.arguments())));
        }
        return new ChatMessage(ChatRole.ASSISTANT, blocks, null);
    }

    /** Tool arguments as JSON; a string that is not JSON is kept as a JSON string. */
    private static JsonNode arguments(String args) {
        if (args == null || args.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(args);
        } catch (RuntimeException e) {
            return StringNode.valueOf(args);
        }
    }

    static Content content(dev.langchain4j.data.message.Content c) {
        if (c instanceof TextContent t) return new Content.Text(t.text());
        if (c instanceof ImageContent i) {
            if (i.image().base64Data() != null) {
                return new Content.Image(mime(i.image().mimeType(), "image/png"), Base64.getDecoder().decode(i.image().base64Data()));
            }
            return new Content.ImageUrl(i.image().url().toString());
        }
        if (c instanceof PdfFileContent p && p.pdfFile().base64Data() != null) {
            return new Content.Pdf(Base64.getDecoder().decode(p.pdfFile().base64Data()));
        }
        if (c instanceof AudioContent a && a.audio().base64Data() != null) {
            return new Content.Audio(mime(a.audio().mimeType(), "audio/wav"), Base64.getDecoder().decode(a.audio().base64Data()));
        }
        throw new UnsupportedFeatureException("content " + c.type()
                + " has no QueryMT equivalent (QueryMT takes text, images, and PDF and audio as inline data)");
    }

    private static String mime(String m, String fallback) {
        return m == null || m.isBlank() ? fallback : m;
    }

    /** A LangChain4j tool to QueryMT's {@code {"type":"function","function":{name,description,parameters,strict}}}. */
    static Tool tool(ToolSpecification s) {
        JsonNode params = s.parameters() == null
                ? JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode())
                : JSON.valueToTree(JsonSchemaElementJsonUtils.toMap(s.parameters()));
        return new Tool("function", new dev.qmt4j.provider.model.FunctionTool(s.name(),
                s.description() == null ? "" : s.description(), params, s.strict()));
    }

    // ---- back to LangChain4j ---------------------------------------------------------------------

    static ToolExecutionRequest toolRequest(ToolCall c) {
        return ToolExecutionRequest.builder().id(c.id()).name(c.function().name()).arguments(c.function().arguments()).build();
    }

    static TokenUsage usage(Usage u) {
        if (u == null) return null;
        return new TokenUsage(toInt(u.inputTokens()), toInt(u.outputTokens()), toInt(u.inputTokens() + u.outputTokens()));
    }

    private static int toInt(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    static FinishReason finishReason(dev.qmt4j.provider.model.FinishReason r) {
        if (r == null) return null;
        return switch (r) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_CALLS -> FinishReason.TOOL_EXECUTION;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case ERROR, OTHER -> FinishReason.OTHER;
            case UNKNOWN -> null;
        };
    }

    static AiMessage aiMessage(String text, String thinking, List<ToolExecutionRequest> calls) {
        AiMessage.Builder b = AiMessage.builder().text(text == null || text.isEmpty() ? null : text).toolExecutionRequests(calls);
        if (thinking != null && !thinking.isEmpty()) b.thinking(thinking);
        return b.build();
    }

    static dev.langchain4j.model.chat.response.ChatResponse response(ChatResponse r, String modelName) {
        List<ToolExecutionRequest> calls = r.toolCallsOrEmpty().stream().map(ChatMapping::toolRequest).toList();
        return dev.langchain4j.model.chat.response.ChatResponse.builder()
                .aiMessage(aiMessage(r.text(), r.thinking(), calls))
                .modelName(modelName)
                .tokenUsage(usage(r.usage()))
                .finishReason(finishReason(r.finishReason()))
                .build();
    }
}
