package dev.qmt4j.sigstore.trust.tuf;

import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.http.NetworkSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link TufFetcher} over HTTP(S) with short timeouts, so an unreachable repository fails fast. Its client is
 * built like every qmt4j client ({@link NetworkSettings}): the extra CA certificates of {@code [oci]
 * ca_certificates} and {@code QMT4J_CA_CERTIFICATES} (a private TUF mirror behind a private CA), the proxies
 * with their credentials, and a selector thread that does not delay JVM exit.
 */
public final class HttpTufFetcher implements TufFetcher {
    /** Sigstore's public-good TUF repository. */
    public static final URI PUBLIC_GOOD = URI.create("https://tuf-repo-cdn.sigstore.dev/");

    private final URI base;
    private final Duration timeout;
    private final HttpAccess http;

    /** As {@link #HttpTufFetcher(URI, Duration, NetworkSettings)} with the JDK's trust anchors and proxy settings only. */
    public HttpTufFetcher(URI base, Duration timeout) {
        this(base, timeout, NetworkSettings.jdkDefaults());
    }

    /**
     * @param base    repository base URL (metadata at {@code base/<name>}, targets at {@code base/targets/<name>})
     * @param timeout connect and per-request timeout
     * @param network the extra CA certificates and proxies (those of {@code [oci]} and the environment)
     */
    public HttpTufFetcher(URI base, Duration timeout, NetworkSettings network) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        // NORMAL never follows https to plain http.
        this.http = network.client(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL));
    }

    /** The repository base URL. */
    public URI base() {
        return base;
    }

    @Override
    public Optional<byte[]> fetch(String path, long maxLength) throws IOException {
        URI uri = base.resolve(path);
        HttpRequest request = http.newRequest(uri).GET().build();
        HttpResponse<InputStream> response;
        try {
            // The shared timeouts (HttpTimeouts): headers within the timeout here, a silent body below.
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + uri, e);
        } catch (Qmt4jException e) {
            // a proxy refused us: an I/O failure to the TUF client, which falls back to its cached root and says why
            throw new IOException(e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"), e);
        } catch (IOException e) {
            if (CaCertificates.isUntrusted(e)) {
                throw new IOException("GET " + uri + ": the TLS certificate of " + uri.getHost() + " is not signed by a trusted CA ("
                        + CaCertificates.UNTRUSTED_HINT + ")", e);
            }
            throw e;
        }
        try (InputStream in = HttpTimeouts.idleGuarded(response.body(), timeout)) {
            int status = response.statusCode();
            if (status == 404 || status == 403) {
                return Optional.empty();
            }
            if (status != 200) {
                throw new IOException("GET " + uri + ": HTTP " + status);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxLength) {
                    throw new IOException("GET " + uri + ": body longer than " + maxLength + " bytes");
                }
                out.write(buf, 0, n);
            }
            return Optional.of(out.toByteArray());
        }
    }
}
