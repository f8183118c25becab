package dev.qmt4j.testkit.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small OpenAI-compatible API server on 127.0.0.1 (a free port) for tests.
 *
 * <p>Endpoints (all under {@code /v1}, all require {@code Authorization: Bearer <apiKey>}; otherwise
 * 401 with an OpenAI error body {@code {"error":{"message","type":"invalid_request_error","code":"invalid_api_key"}}}):
 * <ul>
 *   <li>{@code GET /v1/models}: {@code {"object":"list","data":[{"id","object":"model","created","owned_by"}]}}
 *       with {@link #models()} ({@value #MODEL_A} and {@value #MODEL_B} by default).</li>
 *   <li>{@code POST /v1/chat/completions}: the reply text is {@code "Echo: " + last user message}
 *       (content as a string, or the concatenated {@code text} parts of an array). With a non-empty
 *       {@code tools} array the reply is instead one tool call to the first tool
 *       (id {@value #TOOL_CALL_ID}, arguments {@code {"input":"<last user message>"}}, finish_reason
 *       {@code tool_calls}), unless the last message is a tool result ({@code "role":"tool"}): then the
 *       reply is the text {@code "Tool result: " + that message's content}, so a tool loop ends after
 *       one call and a test sees that the result reached the model. Usage: prompt_tokens = number of whitespace-separated words in all
 *       message texts, completion_tokens = words in the reply text (1 for a tool call).
 *       With {@code "stream":true} the reply is Server-Sent Events: one {@code data: {chunk}} per
 *       word of the reply (the first delta also carries {@code "role":"assistant"}; tool calls stream
 *       as a name chunk then two argument pieces), then a chunk with an empty delta and the
 *       finish_reason, then, if {@code stream_options.include_usage} is true, a chunk with
 *       {@code "choices":[]} and {@code usage}, then {@code data: [DONE]}.</li>
 *   <li>{@code POST /v1/embeddings}: one deterministic vector of {@value #EMBEDDING_DIMENSIONS}
 *       floats per input (string or array of strings), derived from the input's characters.</li>
 * </ul>
 *
 * <p>Failure injection: {@link #failNext(int, int, String)} queues responses (e.g. 429 with
 * {@code Retry-After}, 500) served before normal handling; {@link #redirectTo(String)} makes every
 * request answer 307 with {@code Location: target + path}. Every request is recorded
 * ({@link #requests()}), including rejected ones.
 */
public final class OpenAiTestServer implements AutoCloseable {
    /** Default API key. */
    public static final String DEFAULT_API_KEY = "sk-test-qmt4j";
    /** First default model id. */
    public static final String MODEL_A = "gpt-test-mini";
    /** Second default model id. */
    public static final String MODEL_B = "gpt-test-large";
    /** Id of the tool call returned when tools are given. */
    public static final String TOOL_CALL_ID = "call_test_1";
    /** Length of every embedding vector. */
    public static final int EMBEDDING_DIMENSIONS = 4;

    /** A request as received. Header names are lower-case. */
    public record RecordedRequest(String method, String path, String query,
                                  Map<String, List<String>> headers, byte[] body) {
        /** The body decoded as UTF-8. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of a header (name case-insensitive), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private record Canned(int status, int retryAfterSeconds, String message) {}

    private final String apiKey;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Canned> canned = new ConcurrentLinkedDeque<>();
    private volatile List<String> models = List.of(MODEL_A, MODEL_B);
    private volatile String redirectTarget;

    private OpenAiTestServer(String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "openai-test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server that accepts {@link #DEFAULT_API_KEY}. */
    public static OpenAiTestServer start() {
        return start(DEFAULT_API_KEY);
    }

    /** Starts a server that accepts the given API key. */
    public static OpenAiTestServer start(String apiKey) {
        try {
            return new OpenAiTestServer(apiKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API key the server accepts. */
    public String apiKey() {
        return apiKey;
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1/} (with trailing slash). */
    public String baseUrl() {
        return url() + "/v1/";
    }

    /** Models listed by {@code GET /v1/models}. */
    public List<String> models() {
        return models;
    }

    /** Replaces the listed models. */
    public OpenAiTestServer models(List<String> ids) {
        this.models = List.copyOf(ids);
        return this;
    }

    /**
     * Queues one canned response served (before auth) to the next request: {@code status} with an
     * OpenAI error body ({@code message} as given or a default), and a {@code Retry-After} header
     * when {@code retryAfterSeconds >= 0}.
     */
    public OpenAiTestServer failNext(int status, int retryAfterSeconds, String message) {
        canned.add(new Canned(status, retryAfterSeconds, message));
        return this;
    }

    /** Queues a 429 with {@code Retry-After: seconds} (code {@code rate_limit_exceeded}). */
    public OpenAiTestServer rateLimitNext(int seconds) {
        return failNext(429, seconds, "Rate limit reached for requests");
    }

    /** Answers every request with 307 to {@code target + path + query}; null turns this off. */
    public OpenAiTestServer redirectTo(String target) {
        this.redirectTarget = target;
        return this;
    }

    /** Requests received so far, in order. */
    public List<RecordedRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** Forgets recorded requests. */
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- handling

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            requests.add(new RecordedRequest(ex.getRequestMethod(), path, query, Collections.unmodifiableMap(headers), body));

            String redirect = redirectTarget;
            if (redirect != null) {
                ex.getResponseHeaders().add("Location", redirect + path + (query == null ? "" : "?" + query));
                send(ex, 307, "text/plain", new byte[0]);
                return;
            }
            Canned c = canned.poll();
            if (c != null) {
                if (c.retryAfterSeconds() >= 0) ex.getResponseHeaders().add("Retry-After", String.valueOf(c.retryAfterSeconds()));
                String type = c.status() == 429 ? "requests" : c.status() >= 500 ? "server_error" : "invalid_request_error";
                String code = c.status() == 429 ? "rate_limit_exceeded" : null;
                String msg = c.message() != null ? c.message() : "HTTP " + c.status();
                sendJson(ex, c.status(), error(msg, type, code));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + apiKey)) {
                sendJson(ex, 401, error("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
                return;
            }
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/v1/models")) {
                models(ex);
            } else if (method.equals("POST") && path.equals("/v1/chat/completions")) {
                chat(ex, body);
            } else if (method.equals("POST") && path.equals("/v1/embeddings")) {
                embeddings(ex, body);
            } else {
                sendJson(ex, 404, error("Unknown endpoint " + method + " " + path, "invalid_request_error", "unknown_url"));
            }
        } catch (RuntimeException e) {
            try {
                sendJson(ex, 400, error("Bad request: " + e.getMessage(), "invalid_request_error", null));
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        }
    }

    private void models(HttpExchange ex) throws IOException {
        List<Object> data = new ArrayList<>();
        for (String id : models) {
            data.add(map("id", id, "object", "model", "created", 1700000000L, "owned_by", "qmt4j-test"));
        }
        sendJson(ex, 200, map("object", "list", "data", data));
    }

    @SuppressWarnings("unchecked")
    private void chat(HttpExchange ex, byte[] body) throws IOException {
        Map<String, Object> req = (Map<String, Object>) MiniJson.parse(new String(body, StandardCharsets.UTF_8));
        String model = req.get("model") instanceof String m ? m : MODEL_A;
        List<Object> messages = req.get("messages") instanceof List<?> l ? (List<Object>) l : List.of();
        String lastUser = "";
        String toolResult = null; // the content of the last message when it is a tool result
        int promptTokens = 0;
        for (Object o : messages) {
            if (!(o instanceof Map<?, ?> msg)) continue;
            String text = contentText(msg.get("content"));
            promptTokens += words(text);
            if ("user".equals(msg.get("role"))) lastUser = text;
            toolResult = "tool".equals(msg.get("role")) ? text : null;
        }
        List<Object> tools = req.get("tools") instanceof List<?> t ? (List<Object>) t : List.of();
        String toolName = null;
        if (toolResult == null && !tools.isEmpty() && tools.get(0) instanceof Map<?, ?> tool) {
            Object fn = tool.get("function");
            toolName = fn instanceof Map<?, ?> f && f.get("name") instanceof String n ? n : "tool";
        }
        String reply = toolResult != null && !tools.isEmpty() ? "Tool result: " + toolResult : "Echo: " + lastUser;
        String args = MiniJson.write(map("input", lastUser));
        int completionTokens = toolName != null ? 1 : words(reply);
        Map<String, Object> usage = map("prompt_tokens", (long) promptTokens, "completion_tokens", (long) completionTokens,
                "total_tokens", (long) (promptTokens + completionTokens));
        boolean stream = Boolean.TRUE.equals(req.get("stream"));
        String id = "chatcmpl-test-" + requests.size();
        if (!stream) {
            Map<String, Object> message;
            String finish;
            if (toolName != null) {
                message = map("role", "assistant", "content", null, "tool_calls",
                        List.of(map("id", TOOL_CALL_ID, "type", "function", "function", map("name", toolName, "arguments", args))));
                finish = "tool_calls";
            } else {
                message = map("role", "assistant", "content", reply);
                finish = "stop";
            }
            sendJson(ex, 200, map("id", id, "object", "chat.completion", "created", 1700000000L, "model", model,
                    "choices", List.of(map("index", 0L, "message", message, "finish_reason", finish)), "usage", usage));
            return;
        }
        boolean includeUsage = req.get("stream_options") instanceof Map<?, ?> so && Boolean.TRUE.equals(so.get("include_usage"));
        List<Map<String, Object>> deltas = new ArrayList<>();
        String finish;
        if (toolName != null) {
            deltas.add(map("role", "assistant", "content", null, "tool_calls", List.of(map("index", 0L, "id", TOOL_CALL_ID,
                    "type", "function", "function", map("name", toolName, "arguments", "")))));
            int half = args.length() / 2;
            deltas.add(map("tool_calls", List.of(map("index", 0L, "function", map("arguments", args.substring(0, half))))));
            deltas.add(map("tool_calls", List.of(map("index", 0L, "function", map("arguments", args.substring(half))))));
            finish = "tool_calls";
        } else {
            String[] parts = reply.split("(?<= )");
            for (int k = 0; k < parts.length; k++) {
                deltas.add(k == 0 ? map("role", "assistant", "content", parts[k]) : map("content", parts[k]));
            }
            finish = "stop";
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (Map<String, Object> d : deltas) {
            event(out, chunk(id, model, List.of(map("index", 0L, "delta", d, "finish_reason", null))));
        }
        event(out, chunk(id, model, List.of(map("index", 0L, "delta", map(), "finish_reason", finish))));
        if (includeUsage) {
            Map<String, Object> last = chunk(id, model, List.of());
            last.put("usage", usage);
            event(out, last);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Map<String, Object> chunk(String id, String model, List<Object> choices) {
        return map("id", id, "object", "chat.completion.chunk", "created", 1700000000L, "model", model, "choices", choices);
    }

    private static void event(OutputStream out, Object json) throws IOException {
        out.write(("data: " + MiniJson.write(json) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private void embeddings(HttpExchange ex, byte[] body) throws IOException {
        Map<String, Object> req = (Map<String, Object>) MiniJson.parse(new String(body, StandardCharsets.UTF_8));
        Object input = req.get("input");
        List<Object> inputs = input instanceof List<?> l ? (List<Object>) l : List.of(String.valueOf(input));
        List<Object> data = new ArrayList<>();
        int tokens = 0;
        for (int k = 0; k < inputs.size(); k++) {
            String text = String.valueOf(inputs.get(k));
            tokens += words(text);
            data.add(map("object", "embedding", "index", (long) k, "embedding", embedding(text)));
        }
        String model = req.get("model") instanceof String m ? m : "text-embedding-test";
        sendJson(ex, 200, map("object", "list", "data", data, "model", model,
                "usage", map("prompt_tokens", (long) tokens, "total_tokens", (long) tokens)));
    }

    /**
     * The embedding the server returns for {@code text}: element {@code i} is
     * {@code ((sum of chars at positions p with p % DIM == i) % 1000) / 1000.0}.
     */
    public static List<Double> embedding(String text) {
        long[] sums = new long[EMBEDDING_DIMENSIONS];
        for (int p = 0; p < text.length(); p++) sums[p % EMBEDDING_DIMENSIONS] += text.charAt(p);
        List<Double> v = new ArrayList<>();
        for (long s : sums) v.add((s % 1000) / 1000.0);
        return v;
    }

    private static String contentText(Object content) {
        if (content instanceof String s) return s;
        if (content instanceof List<?> parts) {
            StringBuilder b = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof Map<?, ?> m && m.get("text") instanceof String t) b.append(t);
            }
            return b.toString();
        }
        return "";
    }

    private static int words(String s) {
        String t = s.trim();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static Map<String, Object> error(String message, String type, String code) {
        return map("error", map("message", message, "type", type, "param", null, "code", code));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], kv[k + 1]);
        return m;
    }

    private static void sendJson(HttpExchange ex, int status, Object json) throws IOException {
        send(ex, status, "application/json", MiniJson.write(json).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }
}
