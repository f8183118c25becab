package dev.qmt4j.sigstore.trust.tuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** {@link TufFetcher} over HTTP(S) with short timeouts, so an unreachable repository fails fast. */
public final class HttpTufFetcher implements TufFetcher {
    /** Sigstore's public-good TUF repository. */
    public static final URI PUBLIC_GOOD = URI.create("https://tuf-repo-cdn.sigstore.dev/");

    private final URI base;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param base    repository base URL (metadata at {@code base/<name>}, targets at {@code base/targets/<name>})
     * @param timeout connect and per-request timeout
     */
    public HttpTufFetcher(URI base, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The repository base URL. */
    public URI base() {
        return base;
    }

    @Override
    public Optional<byte[]> fetch(String path, long maxLength) throws IOException {
        URI uri = base.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + uri, e);
        }
        try (InputStream in = response.body()) {
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
