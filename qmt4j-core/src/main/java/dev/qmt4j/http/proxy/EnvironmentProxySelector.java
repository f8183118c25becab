package dev.qmt4j.http.proxy;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a proxy from the environment as curl and Docker do: {@code HTTPS_PROXY} for https,
 * {@code HTTP_PROXY} for http (upper-case names first, then lower-case), except for the hosts
 * {@code NO_PROXY} exempts ({@link NoProxy}: names and domains, IP addresses, CIDR ranges, ports, {@code *}).
 * A proxy URL may carry a user and password ({@code http://USER:PASSWORD@proxy:3128}, percent-encoded);
 * {@link ProxyRouting} sends them. Loopback hosts ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) are
 * never proxied, as in Go's (Docker's) rules: a local registry must not leave the machine.
 *
 * <p>A proxy variable that is set but unusable (not {@code http://}, no host, bad port) is a {@code CONFIG}
 * error naming the variable, never silently ignored: a pull that quietly went direct would fail later with a
 * confusing network error. The password is never part of a message.
 */
public final class EnvironmentProxySelector extends ProxySelector {
    private static final String URL_HINT = "write the proxy as http://HOST:PORT or http://USER:PASSWORD@HOST:PORT "
            + "(percent-encode special characters of the user and password, e.g. @ as %40 and : as %3A)";

    private final Optional<ProxyEndpoint> httpsProxy;
    private final Optional<ProxyEndpoint> httpProxy;
    private final NoProxy noProxy;

    /**
     * @param env environment variables ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}, lower-case too)
     * @throws Qmt4jException {@code CONFIG} when a proxy variable is set to something unusable
     */
    public EnvironmentProxySelector(Map<String, String> env) {
        this.httpsProxy = endpoint(env, "HTTPS_PROXY", "https_proxy");
        this.httpProxy = endpoint(env, "HTTP_PROXY", "http_proxy");
        this.noProxy = NoProxy.parse(first(env, "NO_PROXY", "no_proxy").map(Map.Entry::getValue).orElse(null));
    }

    /** The selector for {@code env}, or empty when it names no proxy. */
    public static Optional<ProxySelector> fromEnvironment(Map<String, String> env) {
        EnvironmentProxySelector s = new EnvironmentProxySelector(env);
        return s.configured() ? Optional.of(s) : Optional.empty();
    }

    /** Whether any proxy is configured at all (else the selector need not be installed). */
    public boolean configured() {
        return httpsProxy.isPresent() || httpProxy.isPresent();
    }

    /** The proxy a request to {@code uri} goes through, or empty for a direct connection. */
    public Optional<ProxyEndpoint> proxyFor(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        Optional<ProxyEndpoint> proxy = https ? httpsProxy : httpProxy;
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        if (proxy.isEmpty() || host.isEmpty() || isLoopback(host) || noProxy.matches(host, port)) {
            return Optional.empty();
        }
        return proxy;
    }

    @Override
    public List<Proxy> select(URI uri) {
        return proxyFor(uri)
                .map(p -> List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(unbracket(p.host()), p.port()))))
                .orElse(List.of(Proxy.NO_PROXY));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // nothing to learn: the request fails and is retried or reported
    }

    /** {@code localhost} (and names under it), {@code 127.0.0.0/8}, {@code ::1}. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        byte[] ip = NoProxy.ipLiteral(h);
        if (ip == null) {
            return false;
        }
        if (ip.length == 4) {
            return ip[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static Optional<Map.Entry<String, String>> first(Map<String, String> env, String upper, String lower) {
        for (String name : new String[] {upper, lower}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(Map.entry(name, v.trim()));
            }
        }
        return Optional.empty();
    }

    private static Optional<ProxyEndpoint> endpoint(Map<String, String> env, String upper, String lower) {
        Optional<Map.Entry<String, String>> v = first(env, upper, lower);
        return v.map(e -> parse(e.getKey(), e.getValue()));
    }

    /**
     * Parses {@code [http://][USER[:PASSWORD]@]HOST[:PORT][/]}; the port defaults to 80 (as in Go; curl uses 1080).
     *
     * @param variable the variable's name, for messages
     */
    static ProxyEndpoint parse(String variable, String value) {
        String rest = value;
        int schemeEnd = rest.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = rest.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http")) {
                throw invalid(variable, value, "the scheme " + scheme + ":// is not supported; qmt4j speaks plain HTTP to "
                        + "the proxy (CONNECT keeps https traffic encrypted end to end)");
            }
            rest = rest.substring(schemeEnd + 3);
        }
        int pathStart = indexOfAny(rest, "/?#");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (u.isEmpty()) {
                throw invalid(variable, value, "the user name before '@' is empty");
            }
            user = Optional.of(percentDecode(variable, value, u));
            password = Optional.of(colon < 0 ? "" : percentDecode(variable, value, userInfo.substring(colon + 1)));
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw invalid(variable, value, "an IPv6 address lacks its closing ']'");
            }
            host = authority.substring(0, end + 1);
            String after = authority.substring(end + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(variable, value, "unexpected text after the IPv6 address");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+")) {
            throw invalid(variable, value, "no valid host name");
        }
        int port = 80;
        if (portText != null) {
            if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw invalid(variable, value, "the port must be a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
        }
        return new ProxyEndpoint(host.toLowerCase(Locale.ROOT), port, user, password);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String percentDecode(String variable, String value, String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int next = s.indexOf('%', i);
            String plain = next < 0 ? s.substring(i) : s.substring(i, next);
            out.writeBytes(plain.getBytes(StandardCharsets.UTF_8));
            if (next < 0) {
                break;
            }
            int hi = next + 2 < s.length() ? Character.digit(s.charAt(next + 1), 16) : -1;
            int lo = next + 2 < s.length() ? Character.digit(s.charAt(next + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw invalid(variable, value, "a '%' in the user or password is not followed by two hex digits");
            }
            out.write(hi << 4 | lo);
            i = next + 3;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Qmt4jException invalid(String variable, String value, String why) {
        return new Qmt4jException(ErrorKind.CONFIG, variable + " is not a usable proxy URL (" + redact(value) + "): " + why,
                URL_HINT);
    }

    /** The value with everything before the last '@' of its authority replaced: never the password in a message. */
    static String redact(String value) {
        int start = value.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int end = value.indexOf('/', start);
        String authority = end < 0 ? value.substring(start) : value.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        return value.substring(0, start) + "***@" + authority.substring(at + 1) + (end < 0 ? "" : value.substring(end));
    }
}
