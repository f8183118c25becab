package dev.qmt4j.provider.wasm.internal;

import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.http.SelectorThreads;
import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way provider plugins reach the network. Redirects are followed by hand so that the
 * {@link NetworkPolicy} is applied to every hop before connecting, to the host name and then to the
 * addresses it resolves to ({@link AddressCheck}); credentials are dropped when a redirect leaves
 * the original origin; timeouts and a response-size cap always apply.
 */
public final class SafeHttp {
    private static final Logger LOG = LoggerFactory.getLogger(SafeHttp.class);
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Set<String> CREDENTIALS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key",
            "api-key", "x-goog-api-key");

    /** A network-level failure (not a policy decision): the guest sees it as a synthetic response or error. */
    public static final class NetworkFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final String transportKind;

        NetworkFailure(String transportKind, String message, Throwable cause) {
            super(message, cause);
            this.transportKind = transportKind;
        }

        /** QueryMT's {@code TransportErrorKind} in snake_case. */
        public String transportKind() {
            return transportKind;
        }
    }

    /** An open response whose body is read incrementally. */
    public static final class Opened implements AutoCloseable {
        private final int status;
        private final HttpWire.Headers headers;
        private final String version;
        private final InputStream in;
        private final HttpLimits limits;
        private long total;

        Opened(int status, HttpWire.Headers headers, String version, InputStream in, HttpLimits limits) {
            this.status = status;
            this.headers = headers;
            this.version = version;
            this.in = HttpTimeouts.idleGuarded(in, limits.streamIdleTimeout());
            this.limits = limits;
        }

        public int status() {
            return status;
        }

        public HttpWire.Headers headers() {
            return headers;
        }

        /**
         * The next chunk (at most 16 KiB), or null at the end. Waits at most the stream idle timeout.
         *
         * @throws ProviderException {@link ProviderErrorKind#LIMIT_EXCEEDED} past the size cap
         * @throws NetworkFailure on a read error or idle timeout
         */
        public byte[] next() throws NetworkFailure {
            byte[] buf = new byte[16384];
            int n = read(in, buf, limits.streamIdleTimeout());
            if (n < 0) return null;
            total += n;
            if (total > limits.maxResponseBytes()) {
                close();
                throw tooLarge(limits);
            }
            byte[] out = new byte[n];
            System.arraycopy(buf, 0, out, 0, n);
            return out;
        }

        /** Reads the rest of the body (size-capped, idle timeout per read) into a response. */
        public HttpWire.Response readFully() throws NetworkFailure {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] c;
            while ((c = next()) != null) b.writeBytes(c);
            return new HttpWire.Response(status, headers, version, b.toByteArray());
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Built on the first request: every Wasm provider has a SafeHttp, most commands send nothing. */
    private volatile HttpClient client;
    private final HttpLimits limits;
    private final AddressCheck addresses;

    public SafeHttp(HttpLimits limits) {
        this(limits, AddressCheck.SYSTEM);
    }

    /** With another resolver for the address check (tests that simulate a changing DNS answer). */
    SafeHttp(HttpLimits limits, AddressCheck.Resolver resolver) {
        this.limits = limits;
        this.addresses = new AddressCheck(resolver);
    }

    /** The client, built once; through {@link SelectorThreads} so that exiting does not wait for its selector. */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = SelectorThreads.build(HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(limits.connectTimeout())
                            .version(HttpClient.Version.HTTP_1_1));
                }
                c = client;
            }
        }
        return c;
    }

    public HttpLimits limits() {
        return limits;
    }

    /**
     * Sends {@code req} and reads the whole response.
     *
     * @param cap an extra deadline (e.g. the guest call's remaining time), or null
     * @throws ProviderException {@link ProviderErrorKind#SANDBOX_DENIED} when the policy refuses a hop,
     *         {@link ProviderErrorKind#LIMIT_EXCEEDED} for size or redirect limits
     * @throws NetworkFailure for connection errors and timeouts
     */
    public HttpWire.Response send(HttpWire.Request req, NetworkPolicy policy, Duration cap) throws NetworkFailure {
        Duration total = cap != null && cap.compareTo(limits.requestTimeout()) < 0 ? cap : limits.requestTimeout();
        long deadline = System.nanoTime() + total.toNanos();
        Opened o = open(req, policy, total);
        // Past the deadline the body is closed; the guarded stream then fails its read (never a short body).
        ScheduledFuture<?> killer = HttpTimeouts.schedule(Duration.ofNanos(deadline - System.nanoTime()), o::close);
        try {
            return o.readFully();
        } catch (NetworkFailure e) {
            if (System.nanoTime() >= deadline) throw new NetworkFailure("timeout", "request timed out after " + total.toMillis() + " ms", e);
            throw e;
        } finally {
            killer.cancel(false);
            o.close();
        }
    }

    /** Opens {@code req}, following redirects under the policy; the caller reads and closes the body. */
    public Opened open(HttpWire.Request req, NetworkPolicy policy, Duration headersTimeout) throws NetworkFailure {
        Duration ht = headersTimeout == null ? limits.streamIdleTimeout() : headersTimeout;
        URI uri = parseUri(req.uri());
        String method = req.method();
        byte[] body = req.body();
        HttpWire.Headers headers = req.headers().copy();
        for (int hop = 0; ; hop++) {
            policy.check(uri);
            List<InetAddress> checked = resolveAndCheck(policy, uri);
            HttpResponse<InputStream> resp = exchange(uri, method, headers, body, ht);
            try {
                addresses.after(policy, uri, checked);
            } catch (ProviderException e) {
                closeQuietly(resp.body());
                throw e;
            }
            int status = resp.statusCode();
            String location = resp.headers().firstValue("location").orElse(null);
            if (isRedirect(status) && location != null) {
                closeQuietly(resp.body());
                if (hop >= limits.maxRedirects()) {
                    throw new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED, "too many redirects (more than " + limits.maxRedirects() + ") from " + req.uri());
                }
                URI next;
                try {
                    next = uri.resolve(new URI(location.trim()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new NetworkFailure("other", "invalid redirect location: " + location, e);
                }
                if (!sameOrigin(uri, next)) {
                    for (String h : CREDENTIALS) headers.remove(h);
                }
                if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD"))) {
                    method = "GET";
                    body = new byte[0];
                    headers.remove("content-type");
                }
                LOG.debug("following redirect {} {} -> {}", status, uri, next);
                uri = next;
                continue;
            }
            return new Opened(status, toWire(resp.headers()), HttpWire.version(resp.version()), resp.body(), limits);
        }
    }

    private List<InetAddress> resolveAndCheck(NetworkPolicy policy, URI uri) throws NetworkFailure {
        try {
            return addresses.before(policy, uri);
        } catch (UnknownHostException e) {
            throw new NetworkFailure("dns", "cannot resolve host (" + uri.getHost() + ")", e);
        }
    }

    private HttpResponse<InputStream> exchange(URI uri, String method, HttpWire.Headers headers, byte[] body, Duration timeout)
            throws NetworkFailure {
        // No HttpRequest.timeout: newer JDKs (JDK-8208693) apply it to the whole body, which would cut
        // off a long stream; the wait for the headers is bounded below, a silent stream by its reader.
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (Map.Entry<String, List<String>> e : headers.asMap().entrySet()) {
            if (RESTRICTED.contains(e.getKey())) continue;
            for (String v : e.getValue()) {
                try {
                    b.header(e.getKey(), v);
                } catch (IllegalArgumentException ex) {
                    LOG.debug("dropping request header {}: {}", e.getKey(), ex.getMessage());
                }
            }
        }
        b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpRequest request;
        try {
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderErrorKind.INVALID_REQUEST, "invalid HTTP request from plugin: " + e.getMessage());
        }
        try {
            // send, not sendAsync: no hand-offs to the client's executor and the common pool (HttpTimeouts.send).
            return HttpTimeouts.send(client(), request, HttpResponse.BodyHandlers.ofInputStream(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkFailure("other", "interrupted", e);
        } catch (HttpTimeouts.HeadersTimeout e) {
            throw new NetworkFailure("timeout", "request to " + uri.getHost() + " timed out", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProviderException p) throw p;
            throw classify(uri, e);
        }
    }

    static NetworkFailure classify(URI uri, Throwable t) {
        String where = " (" + uri.getHost() + ")";
        Throwable c = t;
        while (c != null) {
            if (c instanceof HttpConnectTimeoutException) return new NetworkFailure("timeout", "connect timed out" + where, t);
            if (c instanceof HttpTimeoutException) return new NetworkFailure("timeout", "request timed out" + where, t);
            if (c instanceof ConnectException) return new NetworkFailure("connection_refused", "connection refused" + where, t);
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new NetworkFailure("dns", "cannot resolve host" + where, t);
            }
            if (c instanceof SSLException) return new NetworkFailure("tls", "TLS error" + where + ": " + c.getMessage(), t);
            c = c.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (msg.toLowerCase(Locale.ROOT).contains("closed")) return new NetworkFailure("connection_closed", msg + where, t);
        return new NetworkFailure("other", msg + where, t);
    }

    /** One read of a body guarded by {@link HttpTimeouts#idleGuarded}. */
    static int read(InputStream in, byte[] buf, Duration idle) throws NetworkFailure {
        try {
            return in.read(buf);
        } catch (HttpTimeouts.IdleTimeout e) {
            throw new NetworkFailure("timeout", "no data for " + idle.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new NetworkFailure("connection_reset", "read failed: " + e.getMessage(), e);
        }
    }

    static HttpWire.Headers toWire(HttpHeaders h) {
        HttpWire.Headers out = new HttpWire.Headers();
        h.map().forEach((name, values) -> {
            if (name.startsWith(":")) return;
            for (String v : values) {
                if (HttpWire.isWireSafeValue(v)) out.add(name, v);
                else LOG.debug("dropping response header {} (value not visible ASCII)", name);
            }
        });
        return out;
    }

    static URI parseUri(String s) {
        try {
            URI u = new URI(s);
            if (u.getHost() == null) throw new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "sandbox: URL has no host: " + s);
            return u;
        } catch (URISyntaxException e) {
            throw new ProviderException(ProviderErrorKind.INVALID_REQUEST, "invalid URL from plugin: " + s);
        }
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    static ProviderException tooLarge(HttpLimits limits) {
        return new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED,
                "HTTP response exceeds the configured maximum number of bytes: " + limits.maxResponseBytes());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
