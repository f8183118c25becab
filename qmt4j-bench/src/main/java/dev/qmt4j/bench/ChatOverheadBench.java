package dev.qmt4j.bench;

import dev.qmt4j.host.PluginRegistry;
import dev.qmt4j.host.ProviderHandle;
import dev.qmt4j.provider.PluginCalls;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import dev.qmt4j.testplugins.TestPlugins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat call's host overhead over its HTTP round trip (target: under 0.5 ms, docs/benchmarks.md):
 * {@code chat} is {@link ProviderHandle#chat} through the qmt-openai test plugin (request built and
 * response parsed in Wasm, the sandbox's checks, the host's HTTP client) against the OpenAI test
 * server on loopback; {@code httpOnly} sends the very request the plugin made with the JDK's
 * {@link HttpClient} and reads the body. The overhead is the difference of the two.
 * {@code -Dsun.net.httpserver.nodelay=true} (below, and set again in {@link #setUp} because a
 * {@code -jvmArgsAppend} given on the command line, e.g. for JFR, replaces the annotation's) keeps the
 * test server from adding a delayed-ACK stall. Both sides are like for like: one JDK client each,
 * HTTP/1.1, {@link HttpClient#send} on the benchmark thread, the connection kept alive between calls.
 * {@code guestOnly} runs just the plugin's own two calls of a chat ({@code chat_request} and
 * {@code parse_chat_response}, inputs recorded once), so that the overhead splits into the guest's
 * Wasm (which the host does not write) and the host's own part: {@code chat - httpOnly - guestOnly}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// 30 s of warm-up: with 3 iterations the chat was still falling (1,290 -> 926 us over the 5 measured ones,
// the JIT still compiling the plugin's and the host's paths); after 15 it is flat (docs/benchmarks.md).
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 5, time = 2)
// The JDK's HttpServer (the test server) leaves Nagle's algorithm on by default: its separate writes of
// headers and body then wait for the client's delayed ACK, ~40 ms per exchange on Linux loopback,
// which would hide everything the host does. A real API server answers without that stall.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@State(Scope.Benchmark)
public class ChatOverheadBench {
    private OpenAiTestServer server;
    private PluginRegistry registry;
    private ProviderHandle handle;
    private JsonNode messages;
    private HttpClient client;
    private HttpRequest request;
    private byte[] chatRequestInput;
    private byte[] parseInput;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // read when the server's classes load, just below
        server = OpenAiTestServer.start();
        Path tmp = Files.createTempDirectory("qmt4j-bench-chat");
        Files.copy(TestPlugins.path(TestPlugins.QMT_OPENAI), tmp.resolve("openai.wasm"));
        Path cfg = tmp.resolve("providers.toml");
        Files.writeString(cfg, "[[providers]]\nname = \"openai\"\npath = \"openai.wasm\"\n"
                + "[providers.sandbox]\nallow_private_networks = true\n"
                + "[providers.config]\nbase_url = \"" + server.url() + "/v1\"\nmodel = \"" + OpenAiTestServer.MODEL_A + "\"\n");
        registry = PluginRegistry.builder().config(cfg).env(Map.of("OPENAI_API_KEY", server.apiKey())).home(tmp)
                .cacheDir(tmp.resolve("cache")).build();
        handle = registry.builder("openai").build();
        JsonMapper m = JsonMapper.builder().build();
        messages = m.readTree("[{\"role\":\"user\",\"content\":\"hi\"}]");
        server.clearRequests();
        handle.chat(messages, null);
        List<OpenAiTestServer.RecordedRequest> sent = server.requests();
        OpenAiTestServer.RecordedRequest r = sent.get(sent.size() - 1);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + r.path()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            if (List.of("authorization", "content-type", "accept").contains(h.getKey())) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        request = b.build();
        // The guest's inputs of one chat, as WasmProvider builds them (its chatInput, and the parse input in the
        // HTTP-adapter wire shape of docs/wasm.md: {"cfg", "resp": {"head": {status, headers, version}, "body": [bytes]}}),
        // written here with plain Jackson: the benchmark uses the public API only (ModuleDependencyRulesTest).
        JsonNode cfgSent = handle.config();
        chatRequestInput = m.writeValueAsBytes(PluginCalls.chatInput(cfgSent, messages, null));
        HttpResponse<byte[]> resp = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        ObjectNode parse = m.createObjectNode();
        parse.set("cfg", cfgSent);
        ObjectNode head = parse.putObject("resp").putObject("head");
        head.put("status", resp.statusCode());
        ObjectNode headers = head.putObject("headers");
        resp.headers().map().forEach((k, vs) -> {
            if (vs.size() == 1) {
                headers.put(k, vs.get(0));
            } else if (!vs.isEmpty()) {
                vs.forEach(headers.putArray(k)::add);
            }
        });
        head.put("version", "HTTP/1.1");
        ArrayNode body = ((ObjectNode) parse.get("resp")).putArray("body");
        for (byte octet : resp.body()) {
            body.add(octet & 0xff);
        }
        parseInput = m.writeValueAsBytes(parse);
        // The inputs are right when the guest parses them into the reply the whole chat gave.
        String reply = handle.chat(messages, null).path("text").asString();
        String parsed = m.readTree(guestOnly()).path("text").asString();
        if (reply.isEmpty() || !reply.equals(parsed)) {
            throw new IllegalStateException("guestOnly's recorded inputs do not reproduce the chat: '" + parsed + "' vs '" + reply + "'");
        }
    }

    @Setup(Level.Iteration)
    public void forget() {
        server.clearRequests(); // the server records every request
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        server.close();
    }

    @Benchmark
    public JsonNode chat() {
        return handle.chat(messages, null);
    }

    @Benchmark
    public byte[] httpOnly() throws Exception {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        return r.body();
    }

    @Benchmark
    public byte[] guestOnly() {
        return handle.with(p -> {
            p.call("chat_request", chatRequestInput);
            return p.call("parse_chat_response", parseInput);
        });
    }
}
