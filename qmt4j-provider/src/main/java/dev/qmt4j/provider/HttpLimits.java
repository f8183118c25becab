package dev.qmt4j.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on the HTTP requests the host sends for a provider plugin.
 *
 * @param connectTimeout time to open a TCP/TLS connection (default 10 s)
 * @param requestTimeout whole-exchange deadline for a non-streaming request, headers and body
 *        (default 300 s; LLM answers can be slow)
 * @param streamIdleTimeout longest wait for the next bytes of a streaming response, and for its
 *        headers (default 120 s)
 * @param maxResponseBytes cap on a response body, streamed or not (default 50 MiB, Extism's
 *        {@code max_http_response_bytes} default)
 * @param maxRedirects redirects followed per request, each hop checked against the policy (default 5)
 */
public record HttpLimits(Duration connectTimeout, Duration requestTimeout, Duration streamIdleTimeout,
        long maxResponseBytes, int maxRedirects) {
    /** The defaults listed above. */
    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(300),
            Duration.ofSeconds(120), 52_428_800L, 5);

    public HttpLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        if (maxResponseBytes <= 0) throw new IllegalArgumentException("maxResponseBytes must be > 0");
        if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must be >= 0");
    }

    public HttpLimits withMaxResponseBytes(long bytes) {
        return new HttpLimits(connectTimeout, requestTimeout, streamIdleTimeout, bytes, maxRedirects);
    }

    public HttpLimits withRequestTimeout(Duration d) {
        return new HttpLimits(connectTimeout, d, streamIdleTimeout, maxResponseBytes, maxRedirects);
    }

    public HttpLimits withStreamIdleTimeout(Duration d) {
        return new HttpLimits(connectTimeout, requestTimeout, d, maxResponseBytes, maxRedirects);
    }

    public HttpLimits withMaxRedirects(int n) {
        return new HttpLimits(connectTimeout, requestTimeout, streamIdleTimeout, maxResponseBytes, n);
    }
}
