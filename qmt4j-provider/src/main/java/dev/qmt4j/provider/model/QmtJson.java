package dev.qmt4j.provider.model;

import static dev.qmt4j.provider.model.Reader.array;
import static dev.qmt4j.provider.model.Reader.object;
import static dev.qmt4j.provider.model.Reader.optBool;
import static dev.qmt4j.provider.model.Reader.optF32;
import static dev.qmt4j.provider.model.Reader.optString;
import static dev.qmt4j.provider.model.Reader.optUnsigned;
import static dev.qmt4j.provider.model.Reader.optional;
import static dev.qmt4j.provider.model.Reader.reqBool;
import static dev.qmt4j.provider.model.Reader.reqString;
import static dev.qmt4j.provider.model.Reader.required;
import static dev.qmt4j.provider.model.Reader.string;
import static dev.qmt4j.provider.model.Reader.unsigned;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts the records of this package to and from Jackson trees with QueryMT's serde layout:
 * the same field names and order, enum tags, and "omitted when null" rules, so the compact text of
 * {@code toJson(x)} is what QueryMT writes for the same value. Readers follow serde too: unknown
 * fields are ignored, a missing or null {@code Option} field is null, a missing required field is a
 * {@link QmtJsonException} naming its JSON path. Stateless and thread-safe.
 */
public final class QmtJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long U32 = 0xFFFF_FFFFL;
    private static final long USIZE = Long.MAX_VALUE;

    private QmtJson() {
    }

    /** Parses JSON text. @throws QmtJsonException if it is not valid JSON */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new QmtJsonException("", "invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Compact JSON text of a tree. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    // ---- chat messages ----------------------------------------------------------------------

    /** {@code {"role","content":[...],"cache"?}}. */
    public static ObjectNode toJson(ChatMessage m) {
        ObjectNode o = F.objectNode();
        o.put("role", m.role().wire());
        ArrayNode content = o.putArray("content");
        m.content().forEach(c -> content.add(toJson(c)));
        if (m.cache() != null) {
            o.set("cache", toJson(m.cache()));
        }
        return o;
    }

    /** Reads a {@link ChatMessage}. */
    public static ChatMessage chatMessage(JsonNode n) {
        return chatMessage(n, "");
    }

    private static ChatMessage chatMessage(JsonNode n, String p) {
        object(n, p);
        ChatRole role;
        try {
            role = ChatRole.fromWire(reqString(n, "role", p));
        } catch (IllegalArgumentException e) {
            throw e instanceof QmtJsonException q ? q : new QmtJsonException(p + "/role", e.getMessage());
        }
        List<Content> content = Reader.list(required(n, "content", p), p + "/content", QmtJson::content);
        JsonNode cache = optional(n, "cache");
        return new ChatMessage(role, content, cache == null ? null : cacheHint(cache, p + "/cache"));
    }

    /** An array of messages. */
    public static ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode a = F.arrayNode();
        messages.forEach(m -> a.add(toJson(m)));
        return a;
    }

    /** Reads an array of messages. */
    public static List<ChatMessage> messages(JsonNode n) {
        return Reader.list(n, "", QmtJson::chatMessage);
    }

    /** {@code {"ephemeral":{"ttl_seconds"?}}}. */
    public static ObjectNode toJson(CacheHint c) {
        ObjectNode inner = F.objectNode();
        if (c.ttlSeconds() != null) {
            inner.set("ttl_seconds", num(c.ttlSeconds()));
        }
        ObjectNode o = F.objectNode();
        o.set("ephemeral", inner);
        return o;
    }

    /** Reads a {@link CacheHint}. */
    public static CacheHint cacheHint(JsonNode n) {
        return cacheHint(n, "");
    }

    private static CacheHint cacheHint(JsonNode n, String p) {
        Map.Entry<String, JsonNode> v = variant(n, p);
        if (!v.getKey().equals("ephemeral")) {
            throw new QmtJsonException(p, "unknown CacheHint variant `" + v.getKey() + "`");
        }
        String ip = p + "/ephemeral";
        return new CacheHint(optUnsigned(object(v.getValue(), ip), "ttl_seconds", Long.MAX_VALUE, ip));
    }

    /** One content block, tagged by {@code "type"}. */
    public static ObjectNode toJson(Content c) {
        ObjectNode o = F.objectNode();
        if (c instanceof Content.Text t) {
            o.put("type", "text").put("text", t.text());
        } else if (c instanceof Content.Image i) {
            o.put("type", "image").put("mime_type", i.mimeType());
            o.set("data", bytes(i.data()));
        } else if (c instanceof Content.ImageUrl u) {
            o.put("type", "image_url").put("url", u.url());
        } else if (c instanceof Content.Pdf d) {
            o.put("type", "pdf");
            o.set("data", bytes(d.data()));
        } else if (c instanceof Content.Audio a) {
            o.put("type", "audio").put("mime_type", a.mimeType());
            o.set("data", bytes(a.data()));
        } else if (c instanceof Content.Thinking t) {
            o.put("type", "thinking").put("text", t.text());
            putIf(o, "signature", t.signature());
        } else if (c instanceof Content.ToolUse u) {
            o.put("type", "tool_use").put("id", u.id()).put("name", u.name());
            o.set("arguments", u.arguments().deepCopy());
        } else if (c instanceof Content.ToolResult r) {
            o.put("type", "tool_result").put("id", r.id());
            putIf(o, "name", r.name());
            o.put("is_error", r.isError());
            ArrayNode inner = o.putArray("content");
            r.content().forEach(x -> inner.add(toJson(x)));
        } else if (c instanceof Content.ResourceLink l) {
            o.put("type", "resource_link").put("uri", l.uri());
            putIf(o, "name", l.name());
            putIf(o, "description", l.description());
            putIf(o, "mime_type", l.mimeType());
        }
        return o;
    }

    /** Reads a content block. */
    public static Content content(JsonNode n) {
        return content(n, "");
    }

    private static Content content(JsonNode n, String p) {
        object(n, p);
        String type = reqString(n, "type", p);
        return switch (type) {
            case "text" -> new Content.Text(reqString(n, "text", p));
            case "image" -> new Content.Image(reqString(n, "mime_type", p), Reader.bytes(required(n, "data", p), p + "/data"));
            case "image_url" -> new Content.ImageUrl(reqString(n, "url", p));
            case "pdf" -> new Content.Pdf(Reader.bytes(required(n, "data", p), p + "/data"));
            case "audio" -> new Content.Audio(reqString(n, "mime_type", p), Reader.bytes(required(n, "data", p), p + "/data"));
            case "thinking" -> new Content.Thinking(reqString(n, "text", p), optString(n, "signature", p));
            case "tool_use" -> new Content.ToolUse(reqString(n, "id", p), reqString(n, "name", p), presentValue(n, "arguments", p));
            case "tool_result" -> new Content.ToolResult(reqString(n, "id", p), optString(n, "name", p), reqBool(n, "is_error", p),
                    Reader.list(required(n, "content", p), p + "/content", QmtJson::content));
            case "resource_link" -> new Content.ResourceLink(reqString(n, "uri", p), optString(n, "name", p),
                    optString(n, "description", p), optString(n, "mime_type", p));
            default -> throw new QmtJsonException(p + "/type", "unknown content type `" + type + "`");
        };
    }

    // ---- tools --------------------------------------------------------------------------------

    /** {@code {"type","function":{...}}}. */
    public static ObjectNode toJson(Tool t) {
        ObjectNode o = F.objectNode();
        o.put("type", t.type());
        o.set("function", toJson(t.function()));
        return o;
    }

    /** {@code {"name","description","parameters","strict"?}}. */
    public static ObjectNode toJson(FunctionTool f) {
        ObjectNode o = F.objectNode();
        o.put("name", f.name()).put("description", f.description());
        o.set("parameters", f.parameters().deepCopy());
        if (f.strict() != null) {
            o.put("strict", f.strict());
        }
        return o;
    }

    /** Reads a {@link Tool}. */
    public static Tool tool(JsonNode n) {
        return tool(n, "");
    }

    private static Tool tool(JsonNode n, String p) {
        object(n, p);
        String fp = p + "/function";
        JsonNode f = object(required(n, "function", p), fp);
        return new Tool(reqString(n, "type", p), new FunctionTool(reqString(f, "name", fp), reqString(f, "description", fp),
                presentValue(f, "parameters", fp), optBool(f, "strict", fp)));
    }

    /** An array of tools, or null for null (QueryMT's {@code Option<Vec<Tool>>}). */
    public static ArrayNode tools(List<Tool> tools) {
        if (tools == null) {
            return null;
        }
        ArrayNode a = F.arrayNode();
        tools.forEach(t -> a.add(toJson(t)));
        return a;
    }

    /** Reads an array of tools; null or JSON null gives null. */
    public static List<Tool> tools(JsonNode n) {
        return n == null || n.isNull() ? null : Reader.list(n, "", QmtJson::tool);
    }

    /** {@code {"id","type","function":{"name","arguments"}}}. */
    public static ObjectNode toJson(ToolCall c) {
        ObjectNode o = F.objectNode();
        o.put("id", c.id()).put("type", c.type());
        o.putObject("function").put("name", c.function().name()).put("arguments", c.function().arguments());
        return o;
    }

    /** Reads a {@link ToolCall}. */
    public static ToolCall toolCall(JsonNode n) {
        return toolCall(n, "");
    }

    private static ToolCall toolCall(JsonNode n, String p) {
        object(n, p);
        String fp = p + "/function";
        JsonNode f = object(required(n, "function", p), fp);
        return new ToolCall(reqString(n, "id", p), reqString(n, "type", p),
                new FunctionCall(reqString(f, "name", fp), reqString(f, "arguments", fp)));
    }

    // ---- responses and usage -----------------------------------------------------------------

    /** {@code {"input_tokens","output_tokens","reasoning_tokens","cache_read","cache_write"}}. */
    public static ObjectNode toJson(Usage u) {
        ObjectNode o = F.objectNode();
        o.set("input_tokens", num(u.inputTokens()));
        o.set("output_tokens", num(u.outputTokens()));
        o.set("reasoning_tokens", num(u.reasoningTokens()));
        o.set("cache_read", num(u.cacheRead()));
        o.set("cache_write", num(u.cacheWrite()));
        return o;
    }

    /** Reads a {@link Usage}, accepting {@code prompt_tokens}/{@code completion_tokens} as aliases. */
    public static Usage usage(JsonNode n) {
        return usage(n, "");
    }

    private static Usage usage(JsonNode n, String p) {
        object(n, p);
        return new Usage(aliased(n, p, "input_tokens", "prompt_tokens"), aliased(n, p, "output_tokens", "completion_tokens"),
                orZero(n, "reasoning_tokens", p), orZero(n, "cache_read", p), orZero(n, "cache_write", p));
    }

    /** {@code {"text","tool_calls","thinking","usage","finish_reason","output"?}}; absent values are JSON null. */
    public static ObjectNode toJson(ChatResponse r) {
        ObjectNode o = F.objectNode();
        o.set("text", r.text() == null ? F.nullNode() : F.stringNode(r.text()));
        if (r.toolCalls() == null) {
            o.putNull("tool_calls");
        } else {
            ArrayNode a = o.putArray("tool_calls");
            r.toolCalls().forEach(c -> a.add(toJson(c)));
        }
        o.set("thinking", r.thinking() == null ? F.nullNode() : F.stringNode(r.thinking()));
        o.set("usage", r.usage() == null ? F.nullNode() : toJson(r.usage()));
        o.set("finish_reason", r.finishReason() == null ? F.nullNode() : F.stringNode(r.finishReason().wire()));
        if (r.output() != null) {
            o.set("output", r.output().deepCopy());
        }
        return o;
    }

    /** Reads a {@link ChatResponse}; every field may be missing or null. */
    public static ChatResponse chatResponse(JsonNode n) {
        String p = "";
        object(n, p);
        JsonNode calls = optional(n, "tool_calls");
        JsonNode usage = optional(n, "usage");
        JsonNode output = optional(n, "output");
        return new ChatResponse(optString(n, "text", p),
                calls == null ? null : Reader.list(calls, "/tool_calls", QmtJson::toolCall),
                optString(n, "thinking", p), usage == null ? null : usage(usage, "/usage"),
                finishReason(optional(n, "finish_reason"), "/finish_reason"), output == null ? null : output.deepCopy());
    }

    // ---- streaming ---------------------------------------------------------------------------

    /** One externally tagged chunk, e.g. {@code {"text":"hi"}}. */
    public static ObjectNode toJson(StreamChunk c) {
        ObjectNode o = F.objectNode();
        if (c instanceof StreamChunk.Text t) {
            o.put("text", t.text());
        } else if (c instanceof StreamChunk.Thinking t) {
            o.put("thinking", t.text());
        } else if (c instanceof StreamChunk.ThinkingSignature s) {
            o.put("thinking_signature", s.signature());
        } else if (c instanceof StreamChunk.ToolUseStart s) {
            ObjectNode in = o.putObject("tool_use_start");
            in.set("index", num(s.index()));
            in.put("id", s.id()).put("name", s.name());
        } else if (c instanceof StreamChunk.ToolUseInputDelta d) {
            ObjectNode in = o.putObject("tool_use_input_delta");
            in.set("index", num(d.index()));
            in.put("partial_json", d.partialJson());
        } else if (c instanceof StreamChunk.ToolUseComplete d) {
            ObjectNode in = o.putObject("tool_use_complete");
            in.set("index", num(d.index()));
            in.set("tool_call", toJson(d.toolCall()));
        } else if (c instanceof StreamChunk.UsageChunk u) {
            o.set("usage", toJson(u.usage()));
        } else if (c instanceof StreamChunk.Done d) {
            o.putObject("done").put("finish_reason", d.finishReason().wire());
        } else if (c instanceof StreamChunk.Structured s) {
            o.set("structured", s.event().deepCopy());
        }
        return o;
    }

    /** Reads a {@link StreamChunk}. */
    public static StreamChunk streamChunk(JsonNode n) {
        Map.Entry<String, JsonNode> v = variant(n, "");
        String p = "/" + v.getKey();
        JsonNode b = v.getValue();
        return switch (v.getKey()) {
            case "text" -> new StreamChunk.Text(string(b, p));
            case "thinking" -> new StreamChunk.Thinking(string(b, p));
            case "thinking_signature" -> new StreamChunk.ThinkingSignature(string(b, p));
            case "tool_use_start" -> new StreamChunk.ToolUseStart(index(object(b, p), p), reqString(b, "id", p), reqString(b, "name", p));
            case "tool_use_input_delta" -> new StreamChunk.ToolUseInputDelta(index(object(b, p), p), reqString(b, "partial_json", p));
            case "tool_use_complete" -> new StreamChunk.ToolUseComplete(index(object(b, p), p),
                    toolCall(required(b, "tool_call", p), p + "/tool_call"));
            case "usage" -> new StreamChunk.UsageChunk(usage(b, p));
            case "done" -> new StreamChunk.Done(finishReason(required(object(b, p), "finish_reason", p), p + "/finish_reason"));
            case "structured" -> new StreamChunk.Structured(b.deepCopy());
            default -> throw new QmtJsonException("", "unknown StreamChunk variant `" + v.getKey() + "`");
        };
    }

    // ---- completion, embedding ---------------------------------------------------------------

    /** {@code {"prompt","suffix","max_tokens","temperature"}}, nulls written. */
    public static ObjectNode toJson(CompletionRequest r) {
        ObjectNode o = F.objectNode();
        o.put("prompt", r.prompt());
        o.set("suffix", r.suffix() == null ? F.nullNode() : F.stringNode(r.suffix()));
        o.set("max_tokens", r.maxTokens() == null ? F.nullNode() : num(r.maxTokens()));
        o.set("temperature", r.temperature() == null ? F.nullNode() : f32(r.temperature()));
        return o;
    }

    /** Reads a {@link CompletionRequest}. */
    public static CompletionRequest completionRequest(JsonNode n) {
        object(n, "");
        return new CompletionRequest(reqString(n, "prompt", ""), optString(n, "suffix", ""),
                optUnsigned(n, "max_tokens", U32, ""), optF32(n, "temperature", ""));
    }

    /** {@code {"text"}}. */
    public static ObjectNode toJson(CompletionResponse r) {
        return F.objectNode().put("text", r.text());
    }

    /** Reads a {@link CompletionResponse}. */
    public static CompletionResponse completionResponse(JsonNode n) {
        return new CompletionResponse(reqString(object(n, ""), "text", ""));
    }

    /** {@code {"inputs":[...]}}. */
    public static ObjectNode toJson(EmbeddingRequest r) {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("inputs");
        r.inputs().forEach(a::add);
        return o;
    }

    /** Reads an {@link EmbeddingRequest}. */
    public static EmbeddingRequest embeddingRequest(JsonNode n) {
        object(n, "");
        return new EmbeddingRequest(Reader.list(required(n, "inputs", ""), "/inputs", Reader::string));
    }

    /** {@code [[f32...]...]}. */
    public static ArrayNode toJson(EmbeddingResponse r) {
        ArrayNode a = F.arrayNode();
        for (float[] v : r.toArray()) {
            ArrayNode row = a.addArray();
            for (float x : v) {
                row.add(f32(x));
            }
        }
        return a;
    }

    /** Reads an {@link EmbeddingResponse}. */
    public static EmbeddingResponse embeddingResponse(JsonNode n) {
        return new EmbeddingResponse(Reader.list(n, "", (row, p) -> {
            array(row, p);
            float[] v = new float[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Reader.f32(row.get(i), p + "/" + i);
            }
            return v;
        }));
    }

    // ---- speech ------------------------------------------------------------------------------

    /** {@code {"audio_base64","filename"?,"mime_type"?,"model"?,"language"?}}. */
    public static ObjectNode toJson(TranscribeRequest r) {
        ObjectNode o = F.objectNode().put("audio_base64", r.audioBase64());
        putIf(o, "filename", r.filename());
        putIf(o, "mime_type", r.mimeType());
        putIf(o, "model", r.model());
        putIf(o, "language", r.language());
        return o;
    }

    /** Reads a {@link TranscribeRequest} (a {@code cfg} field, if present, is ignored). */
    public static TranscribeRequest transcribeRequest(JsonNode n) {
        object(n, "");
        return new TranscribeRequest(reqString(n, "audio_base64", ""), optString(n, "filename", ""),
                optString(n, "mime_type", ""), optString(n, "model", ""), optString(n, "language", ""));
    }

    /** {@code {"text"}}. */
    public static ObjectNode toJson(TranscribeResponse r) {
        return F.objectNode().put("text", r.text());
    }

    /** Reads a {@link TranscribeResponse}. */
    public static TranscribeResponse transcribeResponse(JsonNode n) {
        return new TranscribeResponse(reqString(object(n, ""), "text", ""));
    }

    /** {@code {"type":"preset"|"clone"|"design",...}}. */
    public static ObjectNode toJson(VoiceConfig v) {
        ObjectNode o = F.objectNode();
        if (v instanceof VoiceConfig.Preset p) {
            o.put("type", "preset").put("name", p.name());
        } else if (v instanceof VoiceConfig.Clone c) {
            o.put("type", "clone").put("reference_audio_base64", c.referenceAudioBase64())
                .put("reference_text", c.referenceText());
        } else if (v instanceof VoiceConfig.Design d) {
            o.put("type", "design").put("description", d.description());
        }
        return o;
    }

    /** Reads a {@link VoiceConfig}. */
    public static VoiceConfig voiceConfig(JsonNode n) {
        return voiceConfig(n, "");
    }

    private static VoiceConfig voiceConfig(JsonNode n, String p) {
        object(n, p);
        String type = reqString(n, "type", p);
        return switch (type) {
            case "preset" -> new VoiceConfig.Preset(reqString(n, "name", p));
            case "clone" -> new VoiceConfig.Clone(reqString(n, "reference_audio_base64", p), reqString(n, "reference_text", p));
            case "design" -> new VoiceConfig.Design(reqString(n, "description", p));
            default -> throw new QmtJsonException(p + "/type", "unknown voice config type `" + type + "`");
        };
    }

    /** {@code {"text","model"?,"voice_config"?,"format"?,"speed"?,"language"?}}. */
    public static ObjectNode toJson(SpeechRequest r) {
        ObjectNode o = F.objectNode().put("text", r.text());
        putIf(o, "model", r.model());
        if (r.voiceConfig() != null) {
            o.set("voice_config", toJson(r.voiceConfig()));
        }
        putIf(o, "format", r.format());
        if (r.speed() != null) {
            o.set("speed", f32(r.speed()));
        }
        putIf(o, "language", r.language());
        return o;
    }

    /** Reads a {@link SpeechRequest} (a {@code cfg} field, if present, is ignored). */
    public static SpeechRequest speechRequest(JsonNode n) {
        object(n, "");
        JsonNode vc = optional(n, "voice_config");
        return new SpeechRequest(reqString(n, "text", ""), optString(n, "model", ""),
                vc == null ? null : voiceConfig(vc, "/voice_config"), optString(n, "format", ""),
                optF32(n, "speed", ""), optString(n, "language", ""));
    }

    /** {@code {"audio_base64","mime_type"?}}. */
    public static ObjectNode toJson(SpeechResponse r) {
        ObjectNode o = F.objectNode().put("audio_base64", r.audioBase64());
        putIf(o, "mime_type", r.mimeType());
        return o;
    }

    /** Reads a {@link SpeechResponse}. */
    public static SpeechResponse speechResponse(JsonNode n) {
        object(n, "");
        return new SpeechResponse(reqString(n, "audio_base64", ""), optString(n, "mime_type", ""));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** serde writes integers as plain numbers; int nodes where they fit keep trees equal to parsed JSON. */
    private static JsonNode num(long v) {
        return v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
    }

    /** An f32 as serde prints it (shortest float text), held as a double so it equals parsed JSON. */
    private static JsonNode f32(float v) {
        return F.numberNode(Double.parseDouble(Float.toString(v)));
    }

    private static ArrayNode bytes(Bytes data) {
        ArrayNode a = F.arrayNode();
        for (byte b : data.toArray()) {
            a.add(b & 0xFF);
        }
        return a;
    }

    private static void putIf(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    /** A present field whose value may be any JSON, including null ({@code serde_json::Value}). */
    private static JsonNode presentValue(JsonNode obj, String name, String p) {
        JsonNode v = obj.get(name);
        if (v == null) {
            throw new QmtJsonException(p + "/" + name, "missing required field `" + name + "`");
        }
        return v.deepCopy();
    }

    /** An externally tagged enum value: an object with exactly one key. */
    private static Map.Entry<String, JsonNode> variant(JsonNode n, String p) {
        object(n, p);
        if (n.size() != 1) {
            throw new QmtJsonException(p, "expected an object with exactly one variant key, got " + n.size() + " keys");
        }
        return n.properties().iterator().next();
    }

    private static long index(JsonNode obj, String p) {
        return unsigned(required(obj, "index", p), USIZE, p + "/index");
    }

    private static FinishReason finishReason(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            return FinishReason.fromWire(string(n, p));
        } catch (QmtJsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new QmtJsonException(p, e.getMessage());
        }
    }

    private static long aliased(JsonNode n, String p, String name, String alias) {
        JsonNode v = optional(n, name);
        String used = name;
        if (v == null) {
            v = optional(n, alias);
            used = alias;
        }
        if (v == null) {
            throw new QmtJsonException(p + "/" + name, "missing required field `" + name + "`");
        }
        return unsigned(v, U32, p + "/" + used);
    }

    private static long orZero(JsonNode n, String name, String p) {
        Long v = optUnsigned(n, name, U32, p);
        return v == null ? 0 : v;
    }
}
