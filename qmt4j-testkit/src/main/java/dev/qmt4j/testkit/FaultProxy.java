package dev.qmt4j.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 reverse proxy on 127.0.0.1 in front of a registry that misbehaves on demand.
 *
 * <p>Each request is forwarded on a fresh upstream connection and answered with
 * {@code Connection: close}; the {@code Host} header passes through unchanged so the registry
 * writes upload {@code Location}s that point back at the proxy. Rules are tried in the order they
 * were added; the first matching rule with uses left applies its {@link Fault}. Every request is
 * recorded with its headers, and every answer with its status and the body bytes the proxy sent
 * ({@link #exchanges()}), so tests can assert how often, and how much of, something was downloaded.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(registry.host())) {
 *     proxy.inject(FaultProxy.path("/blobs/"), Fault.truncateAfter(10), 1);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    /**
     * What a rule can match on: the request line and the request's headers (names in lower case; the
     * last value of a repeated header).
     */
    public record Request(String method, String path, Map<String, String> headers) {
        public Request {
            headers = Map.copyOf(headers);
        }

        public Request(String method, String path) {
            this(method, path, Map.of());
        }

        /** The header's value, by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * One answered request: the status sent and how many body bytes the proxy sent (for a cut-off body,
     * the bytes before the cut). Recorded before the body goes out, so a client that has read it all
     * always finds its exchange here.
     */
    public record Exchange(Request request, int status, long bodyBytes) {}

    private record Rule(Predicate<Request> matcher, Fault fault, AtomicInteger remaining) {}

    private static final Set<String> HOP_HEADERS = Set.of("connection", "proxy-connection", "keep-alive",
            "transfer-encoding", "content-length", "te", "trailer", "upgrade");

    private static final int TLS_HANDSHAKE = 22;
    private static final byte[] PLAIN_HTTP_ANSWER = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    /** Guards {@link #accepting} and additions to {@link #open}, so no connection slips past {@link #down()}. */
    private final Object connections = new Object();
    private boolean accepting;
    private volatile ServerSocket listener;
    private Future<?> acceptor;
    /** While down: a bound, non-listening socket that keeps the port ours, so connects are refused. */
    private Socket reservation;
    private volatile boolean closed;

    /** A proxy forwarding to {@code upstream} ({@code host:port}). */
    public static FaultProxy to(String upstream) {
        int colon = upstream.lastIndexOf(':');
        return new FaultProxy(upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1)));
    }

    public FaultProxy(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        startAccepting();
    }

    /** Matches requests whose path contains {@code fragment}. */
    public static Predicate<Request> path(String fragment) {
        return r -> r.path().contains(fragment);
    }

    /** Matches requests with this method whose path contains {@code fragment}. */
    public static Predicate<Request> request(String method, String fragment) {
        return r -> r.method().equals(method) && r.path().contains(fragment);
    }

    /** Applies {@code fault} to the next {@code times} matching requests ({@code -1}: all of them). */
    public FaultProxy inject(Predicate<Request> matcher, Fault fault, int times) {
        rules.add(new Rule(matcher, fault, new AtomicInteger(times)));
        return this;
    }

    /** Removes all rules; requests pass through untouched. */
    public void clearFaults() {
        rules.clear();
    }

    /** All requests seen so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many requests matched. */
    public long requestCount(Predicate<Request> matcher) {
        return requests.stream().filter(matcher).count();
    }

    /** Every answered request so far, in the order the answers started. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The body bytes sent in answer to the requests that matched. */
    public long bodyBytesSent(Predicate<Request> matcher) {
        return exchanges.stream().filter(e -> matcher.test(e.request())).mapToLong(Exchange::bodyBytes).sum();
    }

    /** Forgets the recorded requests and exchanges. */
    public void resetCounts() {
        requests.clear();
        exchanges.clear();
    }

    /**
     * Stops listening, so connections are refused, and drops connections in flight. When this
     * returns the listening socket is really gone (not just closing) and the port stays reserved
     * by a bound, non-listening socket until {@link #up()} or {@link #close()}.
     */
    public synchronized void down() {
        if (listener.isClosed()) {
            return;
        }
        List<Socket> inFlight;
        synchronized (connections) {
            accepting = false;
            inFlight = List.copyOf(open);
        }
        closeQuietly(listener);
        // ServerSocket.close() only signals a thread blocked in accept(); the kernel socket stays open,
        // and keeps completing handshakes, until that thread leaves accept(). Wait for it.
        awaitAcceptorExit();
        inFlight.forEach(FaultProxy::drop);
        if (!closed) {
            reservation = reserve(port);
        }
    }

    /** Listens again on the same port after {@link #down()}. */
    public synchronized void up() {
        if (closed) {
            throw new IllegalStateException("fault proxy is closed");
        }
        if (listener.isClosed()) {
            closeQuietly(reservation);
            reservation = null;
            listener = bind(port);
            startAccepting();
        }
    }

    /** {@code 127.0.0.1:port}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + host();
    }

    public int port() {
        return port;
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind fault proxy on port " + port, e);
        }
    }

    /**
     * A bound socket that never listens: it holds the port, so nothing else binds it or gets it as an
     * ephemeral port, and connects to it are refused. Without SO_REUSEADDR nobody can bind the port at
     * all; if TIME_WAIT leftovers of earlier connections forbid that, SO_REUSEADDR still keeps out
     * port-0 and ephemeral picks (only an explicit SO_REUSEADDR bind of this very port could share it).
     */
    private static Socket reserve(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        IOException failure = null;
        for (boolean reuse : new boolean[] {false, true}) {
            Socket s = new Socket();
            try {
                s.setReuseAddress(reuse);
                s.bind(address);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                failure = e;
            }
        }
        throw new UncheckedIOException("cannot reserve fault proxy port " + port + " while down", failure);
    }

    private void startAccepting() {
        ServerSocket server = listener;
        synchronized (connections) {
            accepting = true;
        }
        acceptor = workers.submit(() -> acceptLoop(server));
    }

    private void awaitAcceptorExit() {
        try {
            acceptor.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the loop only ends by returning; nothing to do
        } catch (TimeoutException e) {
            throw new IllegalStateException("fault proxy accept loop on port " + port + " did not stop", e);
        }
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            boolean keep;
            synchronized (connections) {
                keep = accepting && listener == server;
                if (keep) {
                    open.add(client);
                }
            }
            if (keep) {
                workers.execute(() -> serve(client));
            } else {
                drop(client); // accepted while down() was closing the listener: the proxy is down
            }
        }
    }

    /** Closes with RST, as a crashed server would, so the peer sees the connection fail at once. */
    private static void drop(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(client.getInputStream(), 1);
            int first = in.read();
            if (first == TLS_HANDSHAKE) {
                // A client probing for TLS: answer as the plain-HTTP registry behind us does (Go's net/http).
                client.getOutputStream().write(PLAIN_HTTP_ANSWER);
                return;
            }
            if (first != -1) {
                in.unread(first);
            }
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] requestLine = head.get(0).split(" ", 3);
            String method = requestLine[0];
            String target = requestLine[1];
            byte[] body = readBody(in, head.subList(1, head.size()), false);
            Request request = new Request(method, target, headerMap(head.subList(1, head.size())));
            requests.add(request);

            Fault fault = claimFault(request);
            OutputStream out = client.getOutputStream();
            if (fault instanceof Fault.Status s) {
                byte[] error = ("{\"errors\":[{\"code\":\"FAULT\",\"message\":\"injected " + s.status() + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                StringBuilder h = new StringBuilder("HTTP/1.1 " + s.status() + " Injected\r\n");
                if (s.retryAfter() != null) {
                    h.append("Retry-After: ").append(s.retryAfter()).append("\r\n");
                }
                h.append("Content-Type: application/json\r\nContent-Length: ").append(error.length)
                        .append("\r\nConnection: close\r\n\r\n");
                exchanges.add(new Exchange(request, s.status(), error.length));
                out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(error);
                out.flush();
                return;
            }
            forward(request, head.subList(1, head.size()), body, out, client, fault);
        } catch (IOException e) {
            // the client or upstream went away; nothing to report to anyone
        } finally {
            open.remove(client);
        }
    }

    private Fault claimFault(Request request) {
        for (Rule rule : rules) {
            if (rule.matcher().test(request)) {
                int left = rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n);
                if (left != 0) {
                    return rule.fault();
                }
            }
        }
        return null;
    }

    private void forward(Request request, List<String> headers, byte[] body, OutputStream out,
            Socket client, Fault fault) throws IOException {
        String method = request.method();
        try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            OutputStream up = upstream.getOutputStream();
            StringBuilder req = new StringBuilder(method + " " + request.path() + " HTTP/1.1\r\n");
            for (String h : headers) {
                String n = name(h);
                if (HOP_HEADERS.contains(n)) {
                    continue;
                }
                if (fault instanceof Fault.IgnoreRange && (n.equals("range") || n.equals("if-range"))) {
                    continue;
                }
                if (fault instanceof Fault.ShiftRange shift && n.equals("range")) {
                    req.append(shiftRange(h, shift.delta())).append("\r\n");
                    continue;
                }
                req.append(h).append("\r\n");
            }
            if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            up.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();

            InputStream upIn = upstream.getInputStream();
            List<String> respHead = readHead(upIn);
            if (respHead.isEmpty()) {
                throw new EOFException("upstream closed without a response");
            }
            int status = Integer.parseInt(respHead.get(0).split(" ")[1]);
            List<String> respHeaders = respHead.subList(1, respHead.size());
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1;
            byte[] respBody = noBody ? new byte[0] : readBody(upIn, respHeaders, true);

            String contentType = null;
            if (fault instanceof Fault.ReplaceBody r) {
                respBody = r.body();
                contentType = r.contentType();
            }
            if (fault instanceof Fault.FlipByte f && respBody.length > 0) {
                respBody = respBody.clone();
                int at = (int) Math.min(f.offset(), respBody.length - 1);
                respBody[at] ^= (byte) 0xFF;
            }

            StringBuilder resp = new StringBuilder(respHead.get(0)).append("\r\n");
            for (String h : respHeaders) {
                String n = name(h);
                if (!HOP_HEADERS.contains(n) && !(contentType != null && n.equals("content-type"))) {
                    resp.append(h).append("\r\n");
                }
            }
            if (contentType != null) {
                resp.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (noBody) {
                String length = header(respHeaders, "content-length");
                if (length != null) {
                    resp.append("Content-Length: ").append(length).append("\r\n");
                }
            } else {
                resp.append("Content-Length: ").append(respBody.length).append("\r\n");
            }
            resp.append("Connection: close\r\n\r\n");
            exchanges.add(new Exchange(request, status, bytesToSend(respBody.length, fault)));
            out.write(resp.toString().getBytes(StandardCharsets.ISO_8859_1));
            writeBody(out, respBody, client, fault);
        }
    }

    /** How much of a body of {@code length} bytes {@code fault} lets out. */
    private static long bytesToSend(long length, Fault fault) {
        if (fault instanceof Fault.Truncate t) {
            return Math.min(t.bytes(), length);
        }
        if (fault instanceof Fault.Reset r) {
            return Math.min(r.bytes(), length);
        }
        return length;
    }

    /** {@code Range: bytes=N-...} with N moved by {@code delta}; other forms pass unchanged. */
    private static String shiftRange(String headerLine, long delta) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^(\\s*range\\s*:\\s*bytes=)(\\d+)-(.*)$")
                .matcher(headerLine);
        if (!m.matches()) {
            return headerLine;
        }
        return m.group(1) + Math.max(0, Long.parseLong(m.group(2)) + delta) + "-" + m.group(3);
    }

    private static Map<String, String> headerMap(List<String> headers) {
        Map<String, String> map = new HashMap<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                map.put(name(h), h.substring(colon + 1).trim());
            }
        }
        return map;
    }

    private void writeBody(OutputStream out, byte[] body, Socket client, Fault fault) throws IOException {
        if (fault instanceof Fault.Truncate t) {
            out.write(body, 0, (int) Math.min(t.bytes(), body.length));
            out.flush();
        } else if (fault instanceof Fault.Reset r) {
            out.write(body, 0, (int) Math.min(r.bytes(), body.length));
            out.flush();
            client.setSoLinger(true, 0); // close() now sends RST instead of FIN
        } else if (fault instanceof Fault.Stall s) {
            int first = (int) Math.min(s.bytes(), body.length);
            out.write(body, 0, first);
            out.flush();
            for (int i = first; i < body.length && !closed; i++) {
                sleep(s.intervalMillis());
                out.write(body[i]);
                out.flush();
            }
        } else {
            out.write(body);
            out.flush();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
    }

    private static String name(String headerLine) {
        int colon = headerLine.indexOf(':');
        return (colon < 0 ? headerLine : headerLine.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String header(List<String> headers, String lowerName) {
        for (String h : headers) {
            if (name(h).equals(lowerName)) {
                return h.substring(h.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    /** Reads the start line and headers; empty if the peer closed first. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null) {
            if (line.isEmpty()) {
                return lines;
            }
            lines.add(line);
        }
        if (lines.isEmpty()) {
            return lines;
        }
        throw new EOFException("connection closed inside HTTP headers");
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int n = buf.size();
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBody(InputStream in, List<String> headers, boolean untilEof) throws IOException {
        String te = header(headers, "transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new EOFException("connection closed inside chunked body");
                }
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (true) {
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            return out.toByteArray();
                        }
                    }
                }
                out.write(in.readNBytes(size));
                readLine(in);
            }
        }
        String length = header(headers, "content-length");
        if (length != null) {
            int n = Integer.parseInt(length);
            byte[] body = in.readNBytes(n);
            // A response shorter than its Content-Length is passed on as it came (docker-registry's 416
            // keeps the blob's length); a request that short is broken.
            if (body.length != n && !untilEof) {
                throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
            }
            return body;
        }
        return untilEof ? in.readAllBytes() : new byte[0];
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        down();
        closeQuietly(reservation);
        reservation = null;
        workers.shutdownNow();
    }
}
