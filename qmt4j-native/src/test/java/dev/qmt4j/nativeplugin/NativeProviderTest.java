package dev.qmt4j.nativeplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.provider.Capability;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.model.FinishReason;
import dev.qmt4j.provider.model.QmtJson;
import dev.qmt4j.provider.model.StreamChunk;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The example C provider (examples/echo-provider), built by gcc, through every function of the ABI. */
class NativeProviderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static NativeProvider echo;

    @BeforeAll
    static void load() {
        echo = NativeProvider.load(NativeLibs.lib(NativeLibs.ECHO));
    }

    @AfterAll
    static void close() {
        echo.close();
    }

    static ObjectNode cfg() {
        return JSON.createObjectNode().put("model", "echo-1");
    }

    static ArrayNode user(String text) {
        ArrayNode a = JSON.createArrayNode();
        a.addObject().put("role", "system").put("content", "be brief");
        a.addObject().put("role", "user").put("content", "first question");
        a.addObject().put("role", "assistant").put("content", "first answer");
        a.addObject().put("role", "user").put("content", text);
        return a;
    }

    @Test
    void metadata() {
        assertEquals(1, NativeProvider.abiVersion());
        assertEquals("echo-native", echo.name());
        assertNull(echo.apiKeyName());
        assertNull(echo.baseUrl());
        assertEquals(EnumSet.of(Capability.CHAT, Capability.CHAT_STREAM, Capability.LIST_MODELS), echo.capabilities());
        JsonNode schema = echo.configSchema();
        assertEquals("object", schema.get("type").stringValue());
        assertEquals("model", schema.get("required").get(0).stringValue());
        assertEquals(NativeLibs.lib(NativeLibs.ECHO).toAbsolutePath().normalize(), echo.path());
        assertEquals("echo-native", echo.call("name", (JsonNode) null).stringValue());
    }

    @Test
    void fromConfigAcceptsAModelAndRejectsItsAbsenceAsInvalidConfig() {
        ObjectNode ok = cfg().put("extra", 3);
        assertEquals(ok, echo.fromConfig(ok));
        ProviderException e = assertThrows(ProviderException.class, () -> echo.fromConfig(JSON.createObjectNode().put("modle", "x")));
        assertEquals(ProviderErrorKind.INVALID_CONFIG, e.providerKind());
        assertEquals(ErrorKind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("'model' is required"), e.getMessage());
        assertEquals("invalid_request", e.payload().get("type").stringValue());
        assertEquals(ProviderErrorKind.INVALID_CONFIG,
                assertThrows(ProviderException.class, () -> echo.fromConfig(JSON.createArrayNode())).providerKind());
    }

    @Test
    void listModels() {
        assertEquals(List.of("echo-1", "echo-mini"), echo.listModels(cfg()));
    }

    @Test
    void chatEchoesTheLastUserMessage() {
        JsonNode r = echo.chat(cfg(), user("hello there world"), null);
        assertEquals("Echo: hello there world", r.get("text").stringValue());
        // The answer is QueryMT's ChatResponse exactly: the typed model reads it.
        assertEquals(FinishReason.STOP, QmtJson.chatResponse(r).finishReason());
        assertEquals(3, r.get("usage").get("input_tokens").asInt());
        assertEquals(4, r.get("usage").get("output_tokens").asInt());
    }

    @Test
    void textRoundTripsThroughCExactly() {
        String tricky = "h\u00e9llo \"quoted\" back\\slash\nnew line \t tab \u0001 \ud83c\udf89 \u4e16\u754c";
        assertEquals("Echo: " + tricky, echo.chat(cfg(), user(tricky), null).get("text").stringValue());
    }

    @Test
    void structuredErrorsBecomeTypedExceptions() {
        ProviderException rate = assertThrows(ProviderException.class, () -> echo.chat(cfg(), user("fail:rate_limited"), null));
        assertEquals(ProviderErrorKind.RATE_LIMITED, rate.providerKind());
        assertEquals(7, rate.retryAfterSeconds().getAsLong());
        assertEquals("echo is rate limited", rate.getMessage());
        assertEquals("rate_limited", rate.payload().get("type").stringValue());

        ProviderException auth = assertThrows(ProviderException.class, () -> echo.chat(cfg(), user("fail:auth"), null));
        assertEquals(ProviderErrorKind.AUTHENTICATION, auth.providerKind());
        assertEquals(ErrorKind.AUTH, auth.kind());

        ProviderException noModel = assertThrows(ProviderException.class, () -> echo.chat(JSON.createObjectNode(), user("x"), null));
        assertEquals(ProviderErrorKind.INVALID_REQUEST, noModel.providerKind());
    }

    @Test
    void plainErrorIsAPluginErrorWithTheMessage() {
        ProviderException e = assertThrows(ProviderException.class, () -> echo.chat(cfg(), user("fail:plain"), null));
        assertEquals(ProviderErrorKind.PLUGIN_ERROR, e.providerKind());
        assertEquals("plugin chat failed: echo failed on purpose", e.getMessage());
        assertNull(e.payload());
    }

    @Test
    void unknownFunctionIsUnsupported() {
        ProviderException raw = assertThrows(ProviderException.class, () -> echo.call("embed", JSON.createObjectNode()));
        assertEquals(ProviderErrorKind.UNSUPPORTED, raw.providerKind());
        assertTrue(raw.getMessage().contains("no function 'embed'"), raw.getMessage());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class, () -> echo.embed(cfg(), List.of("a"))).providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class, () -> echo.complete(cfg(), JSON.createObjectNode())).providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class, () -> echo.transcribe(cfg(), JSON.createObjectNode())).providerKind());
        assertEquals(ProviderErrorKind.UNSUPPORTED, assertThrows(ProviderException.class, () -> echo.speech(cfg(), JSON.createObjectNode())).providerKind());
    }

    @Test
    void streamingDeliversChunksInOrder() {
        String prompt = "one two three four five six seven eight nine ten";
        List<JsonNode> chunks = new ArrayList<>();
        echo.chatStream(cfg(), user(prompt), null, chunks::add);
        StringBuilder text = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        for (JsonNode c : chunks.subList(0, chunks.size() - 2)) {
            pieces.add(c.get("text").stringValue());
            text.append(c.get("text").stringValue());
        }
        assertEquals(List.of("Echo:", " one", " two", " three", " four", " five", " six", " seven", " eight", " nine", " ten"), pieces);
        assertEquals(echo.chat(cfg(), user(prompt), null).get("text").stringValue(), text.toString());
        assertEquals(11, chunks.get(chunks.size() - 2).get("usage").get("output_tokens").asInt());
        assertEquals(new StreamChunk.Done(FinishReason.STOP), QmtJson.streamChunk(chunks.get(chunks.size() - 1)));
        chunks.forEach(QmtJson::streamChunk); // every chunk is a QueryMT StreamChunk
    }

    @Test
    void streamingErrorsAreTyped() {
        List<JsonNode> chunks = new ArrayList<>();
        ProviderException e = assertThrows(ProviderException.class, () -> echo.chatStream(cfg(), user("fail:rate_limited"), null, chunks::add));
        assertEquals(ProviderErrorKind.RATE_LIMITED, e.providerKind());
        assertTrue(chunks.isEmpty());
    }

    @Test
    void aThrowingConsumerStopsTheStreamAndItsExceptionIsRethrown() {
        IllegalStateException boom = new IllegalStateException("consumer gave up");
        List<JsonNode> seen = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> echo.chatStream(cfg(), user("a b c d e"), null, c -> {
            seen.add(c);
            if (seen.size() == 2) throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(2, seen.size());
        // the provider is still usable afterwards
        assertEquals("Echo: again", echo.chat(cfg(), user("again"), null).get("text").stringValue());
    }

    @Test
    void concurrentCallsFromEightThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<Integer> job = () -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        String msg = "thread " + thread + " call " + i;
                        if (i % 4 == 0) {
                            StringBuilder sb = new StringBuilder();
                            echo.chatStream(cfg(), user(msg), null, c -> { if (c.has("text")) sb.append(c.get("text").stringValue()); });
                            assertEquals("Echo: " + msg, sb.toString());
                        } else if (i % 4 == 1) {
                            assertEquals(ProviderErrorKind.RATE_LIMITED,
                                    assertThrows(ProviderException.class, () -> echo.chat(cfg(), user("fail:rate_limited"), null)).providerKind());
                        } else {
                            assertEquals("Echo: " + msg, echo.chat(cfg(), user(msg), null).get("text").stringValue());
                        }
                        ok++;
                    }
                    return ok;
                };
                futures.add(pool.submit(job));
            }
            int total = 0;
            for (Future<Integer> f : futures) total += f.get();
            assertEquals(8 * 200, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedProviderRefusesCallsAndTheLibraryCanBeLoadedAgain() {
        NativeProvider second = NativeProvider.load(NativeLibs.lib(NativeLibs.ECHO));
        second.close();
        ProviderException e = assertThrows(ProviderException.class, () -> second.chat(cfg(), user("x"), null));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(echo.listModels(cfg()).isEmpty(), "the shared library handle stays usable by other providers");
    }
}
