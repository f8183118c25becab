package dev.qmt4j.wasm.internal;

import dev.qmt4j.http.SelectorThreads;
import dev.qmt4j.wasm.PluginSandboxException;
import dev.qmt4j.wasm.PluginSandboxException.Reason;
import dev.qmt4j.wasm.WasmManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The HTTP client behind {@code http_request}. Redirects are followed here, not by the JDK client,
 * so every hop's host is checked against the allowlist (and the manifest's {@link
 * WasmManifest.ConnectCheck}) before any connection is made to it.
 */
public final class ExtismHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Read timeout when the call itself has no timeout. */
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_REDIRECTS = 10;

    private volatile HttpClient client;

    /** The response to a plugin's request. */
    record Response(int status, Map<String, String> headers, byte[] body) {}

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // Through SelectorThreads: exiting would otherwise wait up to 0.3 s for its selector.
                    client = SelectorThreads.build(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(CONNECT_TIMEOUT));
                }
                c = client;
            }
        }
        return c;
    }

    /**
     * Sends a request for a plugin.
     *
     * @param deadlineNanos the call's deadline ({@code System.nanoTime()}), or Long.MAX_VALUE
     */
    Response send(WasmManifest manifest, String url, String method, Map<String, String> headers, byte[] body,
            long deadlineNanos) throws InterruptedException {
        URI uri = parse(url);
        URI origin = uri;
        String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        for (int hop = 0; ; hop++) {
            checkAllowed(manifest, uri, url);
            manifest.connectCheck().check(uri);
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout(deadlineNanos));
            headers.forEach((k, v) -> {
                try {
                    rb.header(k, v);
                } catch (IllegalArgumentException e) {
                    // Restricted by the JDK client (Host, Content-Length, Connection...): it sets them itself.
                }
            });
            rb.method(m, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<InputStream> resp;
            try {
                resp = client().send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new HostFunctionFailure(System.nanoTime() >= deadlineNanos ? "timeout" : "HTTP request to " + uri + " timed out", e);
            } catch (IOException e) {
                throw new HostFunctionFailure("HTTP request to " + uri + " failed: " + e, e);
            }
            int status = resp.statusCode();
            String location = resp.headers().firstValue("location").orElse(null);
            if (isRedirect(status) && location != null) {
                drain(resp);
                if (hop >= MAX_REDIRECTS) {
                    throw new HostFunctionFailure("HTTP request to " + url + ": too many redirects");
                }
                uri = uri.resolve(location);
                if (!sameOrigin(origin, uri)) {
                    // As browsers and the registry client do: the plugin meant its credentials for the
                    // origin it named, not for wherever that origin redirects (RFC 9110, section 15.4).
                    // Once dropped they stay dropped, even if a later hop comes back.
                    headers = withoutCredentials(headers);
                }
                if (status == 303 || ((status == 301 || status == 302) && m.equals("POST"))) {
                    m = "GET";
                    body = new byte[0];
                }
                continue;
            }
            byte[] data = readCapped(resp, manifest.maxHttpResponseBytes());
            Map<String, String> h = new TreeMap<>();
            resp.headers().map().forEach((k, v) -> {
                if (!v.isEmpty() && !k.startsWith(":")) {
                    h.put(k.toLowerCase(Locale.ROOT), v.get(v.size() - 1));
                }
            });
            return new Response(status, h, data);
        }
    }

    /** Request headers that carry credentials, lower case: the standard ones and the LLM APIs' key headers (as docs/sandbox.md lists). */
    static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key",
            "api-key", "x-goog-api-key");

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!CREDENTIAL_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    /** Same scheme, host and port (default ports filled in). */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                throw new HostFunctionFailure("Invalid URL: " + url + " (http or https expected)");
            }
            if (uri.getHost() == null) {
                throw new HostFunctionFailure("Invalid URL: " + url + " (no host)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new HostFunctionFailure("Invalid URL: " + url + ": " + e.getMessage(), e);
        }
    }

    /** Throws unless the URI's host matches the allowlist; {@code original} is the URL the guest asked for. */
    static void checkAllowed(WasmManifest manifest, URI uri, String original) {
        String host = uri.getHost();
        if (host == null || !manifest.hostAllowed(host)) {
            String where = uri.toString().equals(original) ? original : original + " (redirected to " + uri + ")";
            throw new PluginSandboxException(Reason.HOST, "HTTP request to " + where + " is not allowed",
                    "allow the host with --allow-host " + (host == null ? "HOST" : host) + " (allowed_hosts)");
        }
    }

    private static Duration readTimeout(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return DEFAULT_READ_TIMEOUT;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new HostFunctionFailure("timeout");
        }
        return Duration.ofNanos(Math.min(left, DEFAULT_READ_TIMEOUT.toNanos()));
    }

    private static void drain(HttpResponse<InputStream> resp) {
        try (InputStream in = resp.body()) {
            in.skip(64 * 1024);
        } catch (IOException e) {
            // The connection is discarded anyway.
        }
    }

    private static byte[] readCapped(HttpResponse<InputStream> resp, long max) {
        try (InputStream in = resp.body()) {
            long limit = Math.min(max, Integer.MAX_VALUE - 16L);
            byte[] data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8L));
            if (data.length > limit) {
                throw new PluginSandboxException(Reason.HTTP_RESPONSE_SIZE,
                        "HTTP response exceeds the configured maximum number of bytes: " + max,
                        "raise memory.max_http_response_bytes if the plugin needs larger responses");
            }
            return data;
        } catch (IOException e) {
            throw new HostFunctionFailure("reading the HTTP response failed: " + e, e);
        }
    }
}
