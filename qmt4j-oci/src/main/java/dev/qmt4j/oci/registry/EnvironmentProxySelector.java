package dev.qmt4j.oci.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a proxy the way curl and Docker read the environment: {@code HTTPS_PROXY} for https,
 * {@code HTTP_PROXY} for http (lower-case names too), except for hosts in {@code NO_PROXY}
 * ({@code *}, exact hosts, {@code host:port}, and domain suffixes with or without a leading dot).
 * Loopback hosts are never proxied: a local test registry must not leave the machine.
 */
public final class EnvironmentProxySelector extends ProxySelector {
    private final Optional<URI> httpsProxy;
    private final Optional<URI> httpProxy;
    private final List<String> noProxy;

    public EnvironmentProxySelector(Map<String, String> env) {
        this.httpsProxy = proxyUri(first(env, "HTTPS_PROXY", "https_proxy"));
        this.httpProxy = proxyUri(first(env, "HTTP_PROXY", "http_proxy"));
        List<String> entries = new ArrayList<>();
        String list = first(env, "NO_PROXY", "no_proxy");
        if (list != null) {
            for (String e : list.split(",")) {
                if (!e.isBlank()) {
                    entries.add(e.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        this.noProxy = List.copyOf(entries);
    }

    /** Whether any proxy is configured at all (else the selector need not be installed). */
    public boolean configured() {
        return httpsProxy.isPresent() || httpProxy.isPresent();
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        Optional<URI> proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        if (proxy.isEmpty() || Hosts.isLoopback(host) || bypass(host, uri.getPort())) {
            return List.of(Proxy.NO_PROXY);
        }
        URI p = proxy.get();
        int port = p.getPort() > 0 ? p.getPort() : ("https".equals(p.getScheme()) ? 443 : 80);
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
    }

    boolean bypass(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String e = entry;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && !e.endsWith("]") && e.indexOf(':') == colon) {
                if (!e.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                e = e.substring(0, colon);
            }
            e = e.startsWith("[") && e.endsWith("]") ? e.substring(1, e.length() - 1) : e;
            String suffix = e.startsWith("*.") ? e.substring(1) : e.startsWith(".") ? e : "." + e;
            if (bare.equals(e) || bare.equals(suffix.substring(1)) || bare.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // nothing to learn: the request fails and is retried or reported
    }

    private static String first(Map<String, String> env, String upper, String lower) {
        String v = env.get(upper);
        if (v == null || v.isBlank()) {
            v = env.get(lower);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Optional<URI> proxyUri(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value.contains("://") ? value : "http://" + value);
            return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
