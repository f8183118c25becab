package dev.qmt4j.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A forwarding HTTP proxy on 127.0.0.1 written on JDK sockets, as corporate proxies behave: {@code CONNECT}
 * tunnels for https, absolute-URI requests ({@code GET http://host/path}) forwarded for plain http, and, when
 * made with a user and password, {@code Proxy-Authorization: Basic} required on both (else 407 with
 * {@code Proxy-Authenticate: Basic}). Names can be routed to another host ({@link #route}), so a test can reach a
 * local server under a non-loopback name that only the proxy can resolve (clients never proxy loopback hosts).
 *
 * <pre>{@code
 * try (ForwardingProxy proxy = ForwardingProxy.start("alice", "s3cret").route("registry.qmt4j.test", "127.0.0.1")) {
 *     env.put("HTTPS_PROXY", proxy.url("alice", "s3cret"));
 * }
 * }</pre>
 *
 * It records what it forwarded ({@link #tunnels()}, {@link #forwarded()}) and how often it refused ({@link #refused()}).
 */
public final class ForwardingProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final Map<String, String> routes = new ConcurrentHashMap<>();
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();

    private ForwardingProxy(String user, String password) throws IOException {
        this.expectedAuthorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        Thread t = new Thread(this::acceptLoop, "forwarding-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** A proxy that wants no credentials. */
    public static ForwardingProxy start() {
        return start(null, null);
    }

    /** A proxy that requires {@code user} and {@code password} (Basic); {@code null} user for none. */
    public static ForwardingProxy start(String user, String password) {
        try {
            return new ForwardingProxy(user, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects requests for {@code host} to {@code toHost} instead (same port), as a proxy's own DNS would. */
    public ForwardingProxy route(String host, String toHost) {
        routes.put(host.toLowerCase(Locale.ROOT), toHost);
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code http://USER:PASSWORD@127.0.0.1:PORT}, user and password percent-encoded. */
    public String url(String user, String password) {
        return "http://" + enc(user) + ":" + enc(password) + "@127.0.0.1:" + port();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The {@code host:port} of every tunnel opened, in order. */
    public List<String> tunnels() {
        return new ArrayList<>(tunnels);
    }

    /** The absolute URI of every plain-http request forwarded, in order. */
    public List<String> forwarded() {
        return new ArrayList<>(forwarded);
    }

    /** How many requests were answered 407 for missing or wrong credentials. */
    public int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(this::closeQuietly);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "forwarding-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3) {
                reply(client, "400 Bad Request", "");
                return;
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(header(lines, "proxy-authorization"))) {
                refused.incrementAndGet();
                reply(client, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"qmt4j-test-proxy\"\r\n");
                return;
            }
            if (request[0].equals("CONNECT")) {
                URI target = URI.create("tcp://" + request[1]);
                upstream = connect(target.getHost(), target.getPort());
                tunnels.add(request[1]);
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                pipeBothWays(client, upstream);
                return;
            }
            URI target = URI.create(request[1]);
            if (!"http".equals(target.getScheme())) {
                reply(client, "400 Bad Request", "");
                return;
            }
            upstream = connect(target.getHost(), target.getPort() == -1 ? 80 : target.getPort());
            forwarded.add(request[1]);
            StringBuilder out = new StringBuilder(request[0]).append(' ').append(target.getRawPath())
                    .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(' ').append(request[2]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                if (!name.startsWith("proxy-") && !name.equals("connection") && !name.equals("keep-alive")) {
                    out.append(lines[i]).append("\r\n");
                }
            }
            out.append("Connection: close\r\n\r\n");
            upstream.getOutputStream().write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            upstream.getOutputStream().flush();
            Socket up = upstream;
            Thread body = new Thread(() -> copy(client, up), "forwarding-proxy-body");
            body.setDaemon(true);
            body.start();
            // The response, with "Connection: close" so that the client does not reuse this connection.
            String[] response = readHead(upstream.getInputStream()).split("\r\n");
            StringBuilder back = new StringBuilder(response[0]).append("\r\n");
            for (int i = 1; i < response.length; i++) {
                if (!response[i].toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    back.append(response[i]).append("\r\n");
                }
            }
            back.append("Connection: close\r\n\r\n");
            OutputStream o = client.getOutputStream();
            o.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
            upstream.getInputStream().transferTo(o);
            o.flush();
        } catch (IOException | RuntimeException e) {
            // the client or the server went away; nothing to report
        } finally {
            closeQuietly(client);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    private Socket connect(String host, int port) throws IOException {
        String to = routes.getOrDefault(host.toLowerCase(Locale.ROOT), host);
        Socket s = new Socket();
        open.add(s);
        s.connect(new InetSocketAddress(to, port), 5_000);
        return s;
    }

    private void pipeBothWays(Socket a, Socket b) throws IOException {
        Thread back = new Thread(() -> copy(b, a), "forwarding-proxy-pipe");
        back.setDaemon(true);
        back.start();
        copy(a, b);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void reply(Socket client, String status, String headers) throws IOException {
        OutputStream o = client.getOutputStream();
        o.write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                throw new IOException("no complete HTTP head");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void closeQuietly(Closeable c) {
        open.remove(c);
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
