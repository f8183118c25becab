package dev.qmt4j.provider.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** records -> JSON -> records gives equal records, also through the JSON text. */
class QmtJsonProperties {

    static <T> void roundTrips(T value, Function<T, JsonNode> write, Function<JsonNode, T> read) {
        JsonNode tree = write.apply(value);
        assertEquals(value, read.apply(tree));
        JsonNode reparsed = QmtJson.parse(QmtJson.write(tree));
        assertEquals(tree, reparsed);
        assertEquals(value, read.apply(reparsed));
    }

    @Property
    void chatMessages(@ForAll("messages") ChatMessage m) {
        roundTrips(m, QmtJson::toJson, QmtJson::chatMessage);
    }

    @Property
    void streamChunks(@ForAll("chunks") StreamChunk c) {
        roundTrips(c, QmtJson::toJson, QmtJson::streamChunk);
    }

    @Property
    void chatResponses(@ForAll("responses") ChatResponse r) {
        roundTrips(r, QmtJson::toJson, QmtJson::chatResponse);
    }

    @Property
    void tools(@ForAll("toolsArb") Tool t) {
        roundTrips(t, QmtJson::toJson, QmtJson::tool);
    }

    @Property
    void completions(@ForAll("completionsArb") CompletionRequest r, @ForAll("text") String out) {
        roundTrips(r, QmtJson::toJson, QmtJson::completionRequest);
        roundTrips(new CompletionResponse(out), QmtJson::toJson, QmtJson::completionResponse);
    }

    @Property
    void embeddings(@ForAll("vectors") List<float[]> vectors, @ForAll List<@net.jqwik.api.constraints.StringLength(max = 20) String> inputs) {
        roundTrips(new EmbeddingResponse(vectors), QmtJson::toJson, QmtJson::embeddingResponse);
        roundTrips(new EmbeddingRequest(inputs), QmtJson::toJson, QmtJson::embeddingRequest);
    }

    @Property
    void speechAndTranscription(@ForAll("speech") SpeechRequest s, @ForAll("transcribe") TranscribeRequest t,
                                @ForAll("opt") String mime) {
        roundTrips(s, QmtJson::toJson, QmtJson::speechRequest);
        roundTrips(t, QmtJson::toJson, QmtJson::transcribeRequest);
        roundTrips(new SpeechResponse("AAE=", mime), QmtJson::toJson, QmtJson::speechResponse);
        roundTrips(new TranscribeResponse(t.audioBase64()), QmtJson::toJson, QmtJson::transcribeResponse);
    }

    // ---- arbitraries -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> opt() {
        return text().injectNull(0.3);
    }

    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    }

    Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    Arbitrary<Float> f32() {
        return Arbitraries.floats().between(-1e6f, 1e6f).ofScale(3);
    }

    Arbitrary<JsonNode> args() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5),
                Arbitraries.oneOf(text().map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i))).ofMaxSize(3)
                .map(m -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    for (Map.Entry<String, Object> e : m.entrySet()) {
                        if (e.getValue() instanceof String s) {
                            o.put(e.getKey(), s);
                        } else {
                            o.put(e.getKey(), (Integer) e.getValue());
                        }
                    }
                    return o;
                });
    }

    Arbitrary<Content> leaf() {
        return Arbitraries.oneOf(
                text().map(Content.Text::new),
                Combinators.combine(text(), bytes()).as(Content.Image::new),
                text().map(Content.ImageUrl::new),
                bytes().map(Content.Pdf::new),
                Combinators.combine(text(), bytes()).as(Content.Audio::new),
                Combinators.combine(text(), opt()).as(Content.Thinking::new),
                Combinators.combine(text(), text(), args()).as(Content.ToolUse::new),
                Combinators.combine(text(), opt(), opt(), opt()).as(Content.ResourceLink::new));
    }

    Arbitrary<Content> content() {
        Arbitrary<Content> result = Combinators.combine(text(), opt(), Arbitraries.of(true, false), leaf().list().ofMaxSize(3))
                .as((id, name, err, inner) -> (Content) new Content.ToolResult(id, name, err, inner));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf()), net.jqwik.api.Tuple.of(1, result));
    }

    @Provide
    Arbitrary<ChatMessage> messages() {
        Arbitrary<CacheHint> cache = Arbitraries.longs().between(0, 1_000_000).injectNull(0.5).map(CacheHint::new).injectNull(0.5);
        return Combinators.combine(Arbitraries.of(ChatRole.class), content().list().ofMaxSize(4), cache).as(ChatMessage::new);
    }

    Arbitrary<ToolCall> toolCall() {
        return Combinators.combine(text(), text(), text()).as(ToolCall::function);
    }

    Arbitrary<Usage> usage() {
        return Combinators.combine(u32(), u32(), u32(), u32(), u32()).as(Usage::new);
    }

    @Provide
    Arbitrary<StreamChunk> chunks() {
        Arbitrary<Long> index = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Arbitraries.oneOf(
                text().map(StreamChunk.Text::new),
                text().map(StreamChunk.Thinking::new),
                text().map(StreamChunk.ThinkingSignature::new),
                Combinators.combine(index, text(), text()).as(StreamChunk.ToolUseStart::new),
                Combinators.combine(index, text()).as(StreamChunk.ToolUseInputDelta::new),
                Combinators.combine(index, toolCall()).as(StreamChunk.ToolUseComplete::new),
                usage().map(StreamChunk.UsageChunk::new),
                Arbitraries.of(FinishReason.class).map(StreamChunk.Done::new),
                args().map(StreamChunk.Structured::new));
    }

    @Provide
    Arbitrary<ChatResponse> responses() {
        return Combinators.combine(opt(), toolCall().list().ofMaxSize(2).injectNull(0.4), opt(), usage().injectNull(0.4),
                Arbitraries.of(FinishReason.class).injectNull(0.3), args().injectNull(0.7)).as(ChatResponse::new);
    }

    @Provide
    Arbitrary<Tool> toolsArb() {
        return Combinators.combine(text(), text(), text(), args(), Arbitraries.of(true, false).injectNull(0.5))
                .as((type, name, desc, params, strict) -> new Tool(type, new FunctionTool(name, desc, params, strict)));
    }

    @Provide
    Arbitrary<CompletionRequest> completionsArb() {
        return Combinators.combine(text(), opt(), u32().injectNull(0.5), f32().injectNull(0.5)).as(CompletionRequest::new);
    }

    @Provide
    Arbitrary<List<float[]>> vectors() {
        return Arbitraries.floats().between(-100f, 100f).ofScale(4).array(float[].class).ofMaxSize(5).list().ofMaxSize(3);
    }

    Arbitrary<VoiceConfig> voice() {
        return Arbitraries.oneOf(text().map(VoiceConfig.Preset::new),
                Combinators.combine(text(), text()).as(VoiceConfig.Clone::new),
                text().map(VoiceConfig.Design::new));
    }

    @Provide
    Arbitrary<SpeechRequest> speech() {
        return Combinators.combine(text(), opt(), voice().injectNull(0.3), opt(), f32().injectNull(0.5), opt()).as(SpeechRequest::new);
    }

    @Provide
    Arbitrary<TranscribeRequest> transcribe() {
        return Combinators.combine(bytes().map(b -> java.util.Base64.getEncoder().encodeToString(b)), opt(), opt(), opt(), opt())
                .as(TranscribeRequest::new);
    }
}
