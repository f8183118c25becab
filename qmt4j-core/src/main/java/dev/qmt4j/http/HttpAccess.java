package dev.qmt4j.http;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.proxy.ProxyEndpoint;
import dev.qmt4j.http.proxy.ProxyRouting;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDK {@link HttpClient}s built the one way all of qmt4j's clients are built (registries, token servers,
 * TUF, {@code https://} plugin downloads): trusting the JDK's anchors plus the extra CA certificates, routed
 * through the proxies (with their credentials, see {@link ProxyRouting}), with their selector threads stopped
 * at JVM exit ({@link SelectorThreads}). Requests made with {@link #newRequest} carry the proxy's credentials;
 * {@link #send} turns a proxy's refusal (HTTP 407) into an {@code AUTH} error naming the proxy.
 *
 * <p>One client per scheme, each built on its first request: {@code http://} requests go to a client without
 * TLS, {@code https://} ones to a client with the TLS context, whose set-up a plain-HTTP registry never needs
 * (what it costs: docs/benchmarks.md).
 */
public final class HttpAccess {
    private final HttpClient.Builder builder;
    private final CaCertificates ca;
    private final ProxyRouting proxies;
    private volatile HttpClient plain;
    private volatile HttpClient tls;

    private HttpAccess(HttpClient.Builder builder, CaCertificates ca, HttpClient client, ProxyRouting proxies) {
        this.builder = builder;
        this.ca = ca;
        this.proxies = proxies;
        this.plain = client;
        this.tls = client;
    }

    /**
     * Describes the clients {@code builder} describes (timeouts, redirects, version), adding the trust and
     * proxies. The builder is kept and used on the first request of each scheme: do not change it afterwards;
     * its TLS context is replaced by the one of {@code ca}.
     *
     * @param ca      CA certificates trusted in addition to the JDK's
     * @param proxies the proxy selector; empty leaves the JDK's default (system properties)
     */
    public static HttpAccess build(HttpClient.Builder builder, CaCertificates ca, Optional<ProxySelector> proxies) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(ca, "ca");
        ProxyRouting routing = ProxyRouting.of(proxies);
        routing.clientSelector().ifPresent(builder::proxy);
        return new HttpAccess(builder, ca, null, routing);
    }

    /** A client built elsewhere, used for both schemes, with no proxy credentials of ours. */
    public static HttpAccess wrap(HttpClient client) {
        return new HttpAccess(null, CaCertificates.none(), Objects.requireNonNull(client, "client"), ProxyRouting.none());
    }

    /**
     * The client for {@code https://} (which can send {@code http://} requests too), built on first use, with TLS.
     * Requests sent on it directly carry no proxy credentials: prefer {@link #newRequest} and {@link #send}.
     */
    public HttpClient client() {
        HttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = SelectorThreads.build(builder.sslContext(ca.sslContext()));
                }
                c = tls;
            }
        }
        return c;
    }

    /** The client for {@code uri}'s scheme: without any TLS set-up for {@code http://}. */
    HttpClient clientFor(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return client();
        }
        HttpClient c = plain;
        if (c == null) {
            synchronized (this) {
                if (plain == null) {
                    plain = SelectorThreads.build(builder.sslContext(PlainHttpOnly.CONTEXT));
                }
                c = plain;
            }
        }
        return c;
    }

    /** A request builder for {@code uri}, with the proxy's credentials when the request goes through one that wants them. */
    public HttpRequest.Builder newRequest(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        proxies.authorization(uri).ifPresent(v -> b.setHeader("Proxy-Authorization", v));
        return b;
    }

    /** The proxy a request to {@code uri} goes through, if one of ours. */
    public Optional<ProxyEndpoint> proxyFor(URI uri) {
        return proxies.proxyFor(uri);
    }

    /**
     * Sends {@code request}.
     *
     * @throws Qmt4jException {@code AUTH} when a proxy refuses the request (HTTP 407), naming the proxy (never its password)
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return checked(request, clientFor(request.uri()).send(request, handler));
    }

    /**
     * Sends {@code request} (built without {@link HttpRequest.Builder#timeout}) and waits at most
     * {@code headersTimeout} for the response headers; the body is not bounded here. Why not
     * {@code HttpRequest.timeout}: from JDK-8208693 (newer JDKs) it also covers reading the body,
     * which would cut off any large download that takes longer in all; callers bound a silent
     * body themselves ({@link HttpTimeouts}).
     *
     * @throws HttpTimeoutException when the headers do not arrive in time (the exchange is cancelled)
     * @throws Qmt4jException {@code AUTH} when a proxy refuses the request (HTTP 407)
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, Duration headersTimeout)
            throws IOException, InterruptedException {
        // HttpTimeouts.send, not sendAsync: no hand-off through the common pool (a new thread per request on
        // <= 2 cores, a stall where the application keeps that pool busy).
        return checked(request, HttpTimeouts.send(clientFor(request.uri()), request, handler, headersTimeout));
    }

    private <T> HttpResponse<T> checked(HttpRequest request, HttpResponse<T> response) throws IOException {
        if (response.statusCode() == 407) {
            if (response.body() instanceof InputStream in) {
                in.close();
            }
            throw proxyRefused(request.uri());
        }
        return response;
    }

    private Qmt4jException proxyRefused(URI uri) {
        String variable = "https".equalsIgnoreCase(uri.getScheme()) ? "HTTPS_PROXY" : "HTTP_PROXY";
        String target = uri.getScheme() + "://" + uri.getAuthority();
        Optional<ProxyEndpoint> proxy = proxies.proxyFor(uri);
        if (proxy.isPresent() && proxy.get().hasCredentials()) {
            return new Qmt4jException(ErrorKind.AUTH, "proxy " + proxy.get().display() + " refused the user name and password "
                    + "of " + variable + " for " + target + " (HTTP 407)",
                    "check the user and password in " + variable + " (http://USER:PASSWORD@HOST:PORT; percent-encode special "
                            + "characters, e.g. @ as %40)");
        }
        String which = proxy.map(p -> "proxy " + p.display()).orElse("the proxy");
        return new Qmt4jException(ErrorKind.AUTH, which + " requires a user name and password for " + target + " (HTTP 407)",
                "put them in " + variable + " as http://USER:PASSWORD@HOST:PORT (percent-encode special characters)");
    }
}
