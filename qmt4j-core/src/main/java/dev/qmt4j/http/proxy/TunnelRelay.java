package dev.qmt4j.http.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CONNECT relay on 127.0.0.1 that adds the proxy's Basic credentials, so that an https request can go
 * through a proxy that wants a password without weakening anything in the JVM.
 *
 * <p>Why: the JDK's HTTP client never sends Basic credentials when it opens a CONNECT tunnel (neither from
 * an {@code Authenticator} nor from a {@code Proxy-Authorization} header) while the system property
 * {@code jdk.http.auth.tunneling.disabledSchemes} lists Basic, as it does by default; changing that property
 * would change it for every HTTP client of an embedding application, and only takes effect before the JDK's
 * HTTP classes are first used. So our clients use this relay as their https proxy: it accepts a CONNECT only
 * with its own random token ({@link #authorization()}, sent by {@link ProxyRouting} as a
 * {@code Proxy-Authorization} header of a scheme the JDK does not filter; no other local process knows it),
 * sends the CONNECT on to the real proxy with {@code Proxy-Authorization: Basic ...}, and, once the proxy
 * answers 200, copies bytes both ways. TLS to the registry runs end to end through it, as through the proxy.
 * A refusal of the proxy (407 and others) is passed back as its status code.
 *
 * <p>One relay per proxy endpoint, started on first use; its sockets are closed at JVM exit so that no thread
 * waits in native code (exiting would wait up to 0.3 s for it, see qmt4j-core's {@code SelectorThreads}).
 */
final class TunnelRelay {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRelay.class);
    /** The scheme of the relay's token header; any scheme but Basic passes the JDK's filter for CONNECT. */
    static final String SCHEME = "Qmt4j-Relay";
    private static final int MAX_HEAD = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int HEAD_TIMEOUT_MS = 30_000;
    private static final Map<ProxyEndpoint, TunnelRelay> RELAYS = new ConcurrentHashMap<>();
    private static final Set<java.io.Closeable> OPEN = ConcurrentHashMap.newKeySet();
    private static boolean hookInstalled;

    private final ProxyEndpoint upstream;
    private final ServerSocket server;
    private final byte[] token;
    private final String authorization;

    private TunnelRelay(ProxyEndpoint upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random).getBytes(StandardCharsets.US_ASCII);
        this.authorization = SCHEME + " " + new String(token, StandardCharsets.US_ASCII);
        OPEN.add(server);
        installHook();
        Thread t = new Thread(this::acceptLoop, "qmt4j-proxy-relay-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** The relay for {@code upstream}, started on first use. */
    static TunnelRelay forUpstream(ProxyEndpoint upstream) {
        return RELAYS.computeIfAbsent(upstream, u -> {
            try {
                return new TunnelRelay(u);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open the local proxy relay on 127.0.0.1", e);
            }
        });
    }

    /** Where the relay listens (127.0.0.1 or ::1). */
    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** The {@code Proxy-Authorization} value the relay requires. */
    String authorization() {
        return authorization;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed at exit
            }
            OPEN.add(client);
            Thread t = new Thread(() -> serve(client), "qmt4j-proxy-relay-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket client) {
        Socket proxy = null;
        try {
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            String head = readHead(client.getInputStream());
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3 || !request[0].equals("CONNECT") || !request[1].matches("[A-Za-z0-9_.:\\[\\]-]+")
                    || !tokenOk(lines)) {
                reply(client, "HTTP/1.1 403 Forbidden");
                return;
            }
            String target = request[1];
            proxy = new Socket();
            OPEN.add(proxy);
            String host = upstream.host().startsWith("[") ? upstream.host().substring(1, upstream.host().length() - 1) : upstream.host();
            proxy.connect(new InetSocketAddress(host, upstream.port()), CONNECT_TIMEOUT_MS);
            proxy.setSoTimeout(HEAD_TIMEOUT_MS);
            OutputStream up = proxy.getOutputStream();
            up.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: "
                    + upstream.basicAuthorization().orElseThrow() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            String answer = readHead(proxy.getInputStream());
            String status = answer.split("\r\n", 2)[0];
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[1].matches("[0-9]{3}")) {
                reply(client, "HTTP/1.1 502 Bad Gateway");
                return;
            }
            if (!parts[1].startsWith("2")) {
                LOG.debug("proxy {} answered {} to CONNECT {}", upstream.display(), status, target);
                reply(client, "HTTP/1.1 " + parts[1] + " " + (parts.length > 2 ? parts[2].replaceAll("[^ -~]", "") : ""));
                return;
            }
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
            client.setSoTimeout(0);
            proxy.setSoTimeout(0);
            Socket p = proxy;
            Thread back = new Thread(() -> copy(p, client), "qmt4j-proxy-relay-pipe");
            back.setDaemon(true);
            back.start();
            copy(client, proxy);
            back.join();
        } catch (IOException e) {
            LOG.debug("proxy relay to {}: {}", upstream.display(), e.toString());
            try {
                reply(client, "HTTP/1.1 502 Bad Gateway");
            } catch (IOException ignored) {
                // the client is gone too
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(client);
            if (proxy != null) {
                close(proxy);
            }
        }
    }

    private boolean tokenOk(String[] lines) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("proxy-authorization")) {
                String v = lines[i].substring(colon + 1).trim();
                if (v.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
                    byte[] given = v.substring(SCHEME.length() + 1).trim().getBytes(StandardCharsets.US_ASCII);
                    if (MessageDigest.isEqual(given, token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Copies {@code from} to {@code to} until end of stream, then half-closes {@code to}. */
    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
        }
    }

    private static void reply(Socket client, String statusLine) throws IOException {
        if (client.isClosed()) {
            return;
        }
        OutputStream out = client.getOutputStream();
        out.write((statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads up to the blank line ending an HTTP head (byte by byte: nothing after it may be consumed). */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the HTTP head");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void close(java.io.Closeable c) {
        OPEN.remove(c);
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        try {
            Thread hook = new Thread(() -> OPEN.forEach(TunnelRelay::close), "qmt4j-proxy-relay-exit");
            hook.setDaemon(true);
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException | SecurityException e) {
            // already exiting, or not allowed: exiting merely waits a little longer for the relay's threads
        }
    }
}
