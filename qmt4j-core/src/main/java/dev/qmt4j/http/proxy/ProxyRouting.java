package dev.qmt4j.http.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * How one of our HTTP clients reaches its proxies, including proxies that want a user and password.
 *
 * <p>Plain {@code http://} requests through such a proxy carry {@code Proxy-Authorization: Basic ...}
 * themselves (the JDK sends it). {@code https://} requests are tunnelled with CONNECT, for which the JDK
 * refuses to send Basic credentials; they go through a {@link TunnelRelay} on 127.0.0.1 that adds them.
 * Every request must therefore carry {@link #authorization(URI)} when it has one (the JDK sends it only to
 * the proxy, never to the server).
 */
public final class ProxyRouting {
    private static final ProxyRouting NONE = new ProxyRouting(Optional.empty());

    private final Optional<ProxySelector> selector;

    private ProxyRouting(Optional<ProxySelector> selector) {
        this.selector = selector;
    }

    /** Routing by {@code selector}: with an {@link EnvironmentProxySelector}, credentials are sent; empty means the JDK default. */
    public static ProxyRouting of(Optional<ProxySelector> selector) {
        return selector.isEmpty() ? NONE : new ProxyRouting(selector);
    }

    /** No proxy settings of ours: the JDK's default selector (system properties), no credentials. */
    public static ProxyRouting none() {
        return NONE;
    }

    /** The selector to build the HTTP client with (empty: leave the JDK's default). */
    public Optional<ProxySelector> clientSelector() {
        if (selector.isPresent() && selector.get() instanceof EnvironmentProxySelector env) {
            return Optional.of(new RelayingSelector(env));
        }
        return selector;
    }

    /** The proxy a request to {@code uri} goes through, when it is one of ours (for messages). */
    public Optional<ProxyEndpoint> proxyFor(URI uri) {
        return selector.filter(EnvironmentProxySelector.class::isInstance)
                .flatMap(s -> ((EnvironmentProxySelector) s).proxyFor(uri));
    }

    /** The {@code Proxy-Authorization} value a request to {@code uri} must carry, if its proxy wants credentials. */
    public Optional<String> authorization(URI uri) {
        Optional<ProxyEndpoint> p = proxyFor(uri).filter(ProxyEndpoint::hasCredentials);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        return "https".equalsIgnoreCase(uri.getScheme())
                ? Optional.of(TunnelRelay.forUpstream(p.get()).authorization())
                : p.get().basicAuthorization();
    }

    /** The environment's choice, with https through a password-protected proxy sent to its relay instead. */
    private static final class RelayingSelector extends ProxySelector {
        private final EnvironmentProxySelector env;

        RelayingSelector(EnvironmentProxySelector env) {
            this.env = env;
        }

        @Override
        public List<Proxy> select(URI uri) {
            Optional<ProxyEndpoint> p = env.proxyFor(uri);
            if (p.isPresent() && p.get().hasCredentials() && "https".equalsIgnoreCase(uri.getScheme())) {
                InetSocketAddress relay = TunnelRelay.forUpstream(p.get()).address();
                return List.of(new Proxy(Proxy.Type.HTTP, relay));
            }
            return env.select(uri);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // nothing to learn: the request fails and is retried or reported
        }
    }
}
