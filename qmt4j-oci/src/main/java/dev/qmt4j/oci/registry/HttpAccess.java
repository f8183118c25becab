package dev.qmt4j.oci.registry;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.registry.proxy.ProxyEndpoint;
import dev.qmt4j.oci.registry.proxy.ProxyRouting;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * A JDK {@link HttpClient} built the one way all of qmt4j's clients are built (registries, token servers,
 * TUF, {@code https://} plugin downloads): trusting the JDK's anchors plus the extra CA certificates, routed
 * through the proxies (with their credentials, see {@link ProxyRouting}), with its selector thread stopped at
 * JVM exit ({@link SelectorThreads}). Requests made with {@link #newRequest} carry the proxy's credentials;
 * {@link #send} turns a proxy's refusal (HTTP 407) into an {@code AUTH} error naming the proxy.
 */
public final class HttpAccess {
    private final HttpClient client;
    private final ProxyRouting proxies;

    private HttpAccess(HttpClient client, ProxyRouting proxies) {
        this.client = client;
        this.proxies = proxies;
    }

    /**
     * Builds the client {@code builder} describes (timeouts, redirects, version), adding the trust and proxies.
     *
     * @param ca      CA certificates trusted in addition to the JDK's
     * @param proxies the proxy selector; empty leaves the JDK's default (system properties)
     */
    public static HttpAccess build(HttpClient.Builder builder, CaCertificates ca, Optional<ProxySelector> proxies) {
        Objects.requireNonNull(ca, "ca");
        if (!ca.isEmpty()) {
            builder.sslContext(ca.sslContext());
        }
        ProxyRouting routing = ProxyRouting.of(proxies);
        routing.clientSelector().ifPresent(builder::proxy);
        return new HttpAccess(SelectorThreads.build(builder), routing);
    }

    /** A client built elsewhere, with no proxy credentials of ours. */
    public static HttpAccess wrap(HttpClient client) {
        return new HttpAccess(client, ProxyRouting.none());
    }

    /** The client. Requests sent on it directly carry no proxy credentials: prefer {@link #newRequest} and {@link #send}. */
    public HttpClient client() {
        return client;
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
        HttpResponse<T> response = client.send(request, handler);
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
