package dev.qmt4j.host;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.http.NetworkSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Downloads {@code https://} plugin sources into {@code <cache>/urls/sha256/<hex>/plugin.<ext>}.
 *
 * <p>The body is streamed to a temporary file in the same directory tree while being hashed; the
 * file is moved into place atomically only when the hash matches the pin, so a wrong or truncated
 * download never lands in the cache. A pinned plugin already in the cache is used without any
 * network access (after re-hashing it). Plain {@code http://} is refused. The client is built like every
 * qmt4j client ({@link NetworkSettings}): the server's certificate is checked against the JDK's trust anchors
 * plus the extra CA certificates ({@code [oci] ca_certificates}), requests go through the environment's proxies
 * (with their credentials), and its selector thread is stopped at JVM exit, so a process that downloaded a
 * plugin does not wait 0.3 s to exit.
 *
 * <p>Waits are bounded like registry requests: 10 s to connect, 60 s to the response headers, and a
 * body that brings no byte for 60 s is abandoned; each is a {@code NETWORK} error naming the URL and
 * what timed out, and leaves no file behind.
 */
final class UrlDownloader {
    private static final long MAX_BYTES = 512L << 20;

    private final Path root;
    private final Supplier<NetworkSettings> network;
    private final Duration connectTimeout;
    private final Duration headersTimeout;
    private final Duration idleTimeout;
    private volatile HttpAccess client;

    /** @param network the extra CA certificates and proxies, asked for on the first download only */
    UrlDownloader(Path cacheRoot, Supplier<NetworkSettings> network) {
        this(cacheRoot, network, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /**
     * @param connectTimeout to open the connection
     * @param headersTimeout from sending the request to its response headers
     * @param idleTimeout how long the body may bring no byte before the download is abandoned
     */
    UrlDownloader(Path cacheRoot, Supplier<NetworkSettings> network, Duration connectTimeout, Duration headersTimeout,
            Duration idleTimeout) {
        this.root = cacheRoot.resolve("urls").resolve("sha256");
        this.network = network;
        this.connectTimeout = connectTimeout;
        this.headersTimeout = headersTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** A file on disk and its sha256 (hex). */
    record Downloaded(Path file, String sha256) {}

    Downloaded fetch(PluginSource.Url source, boolean force) {
        checkScheme(source.uri());
        String ext = source.type() == dev.qmt4j.oci.PluginType.WASM ? ".wasm"
                : source.uri().getPath().substring(source.uri().getPath().lastIndexOf('.'));
        if (source.sha256().isPresent() && !force) {
            Path cached = root.resolve(source.sha256().get()).resolve("plugin" + ext);
            if (Files.isRegularFile(cached) && source.sha256().get().equals(hash(cached))) {
                return new Downloaded(cached, source.sha256().get());
            }
        }
        try {
            dev.qmt4j.files.CachePermissions.createDirectories(root); // rwxr-xr-x whatever the umask (the cache check)
            Path tmp = Files.createTempFile(root, ".download-", ".part");
            try {
                String actual = download(source.uri(), tmp);
                if (source.sha256().isPresent() && !source.sha256().get().equals(actual)) {
                    throw new Qmt4jException(ErrorKind.INTEGRITY, "download of " + source.uri() + " has sha256 " + actual
                            + " but the config pins " + source.sha256().get(), "check the URL and the sha256 pin");
                }
                Path dir = root.resolve(actual);
                dev.qmt4j.files.CachePermissions.createDirectories(dir);
                Path target = dir.resolve("plugin" + ext);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return new Downloaded(target, actual);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.CACHE, "cannot store the download of " + source.uri() + ": " + e.getMessage(), null, e);
        }
    }

    private void checkScheme(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https")) {
            throw new Qmt4jException(ErrorKind.CONFIG, "plugin URL must use https: " + uri,
                    "serve the plugin over https (a private CA goes in [oci] ca_certificates)");
        }
    }

    private String download(URI uri, Path tmp) {
        HttpAccess http = client();
        // headersTimeout bounds the time to the response headers only (HttpAccess.send); readWithin bounds a silent body.
        HttpRequest request = http.newRequest(uri).GET().build();
        HttpResponse<InputStream> response;
        long sent = System.nanoTime();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream(), headersTimeout);
        } catch (HttpConnectTimeoutException e) {
            // The JDK reports the request timeout as a connect timeout too when it fires during the TLS handshake.
            String what = System.nanoTime() - sent >= headersTimeout.toNanos()
                    ? uri.getHost() + " did not complete the TLS handshake within " + seconds(headersTimeout)
                    : "connecting to " + uri.getHost() + " timed out after " + seconds(connectTimeout);
            throw new Qmt4jException(ErrorKind.NETWORK, "cannot download " + uri + ": " + what, RETRY_HINT, e);
        } catch (HttpTimeoutException e) {
            throw new Qmt4jException(ErrorKind.NETWORK, "cannot download " + uri + ": no response headers within "
                    + seconds(headersTimeout), RETRY_HINT, e);
        } catch (IOException e) {
            if (dev.qmt4j.http.CaCertificates.isUntrusted(e)) {
                throw new Qmt4jException(ErrorKind.NETWORK, "cannot download " + uri + ": the TLS certificate of "
                        + uri.getHost() + " is not signed by a trusted CA", dev.qmt4j.http.CaCertificates.UNTRUSTED_HINT, e);
            }
            throw new Qmt4jException(ErrorKind.NETWORK, "cannot download " + uri + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Qmt4jException(ErrorKind.NETWORK, "interrupted while downloading " + uri);
        }
        MessageDigest md = dev.qmt4j.oci.Digest.newMessageDigest("sha256");
        // A body that brings no byte for idleTimeout is closed and its read fails (HttpTimeouts).
        try (InputStream in = HttpTimeouts.idleGuarded(response.body(), idleTimeout); OutputStream out = Files.newOutputStream(tmp)) {
            if (response.statusCode() != 200) {
                throw new Qmt4jException(ErrorKind.NETWORK, "cannot download " + uri + ": HTTP " + response.statusCode());
            }
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_BYTES) {
                    throw new Qmt4jException(ErrorKind.NETWORK, "download of " + uri + " exceeds " + MAX_BYTES + " bytes");
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (HttpTimeouts.IdleTimeout e) {
            throw stalled(uri, e);
        } catch (IOException e) {
            throw new Qmt4jException(ErrorKind.NETWORK, "download of " + uri + " failed: " + e.getMessage(), null, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static final String RETRY_HINT = "check that the server is up and reachable (and the proxy settings), then retry";

    private Qmt4jException stalled(URI uri, IOException cause) {
        return new Qmt4jException(ErrorKind.NETWORK, "download of " + uri + " stalled: no body bytes for "
                + seconds(idleTimeout), RETRY_HINT, cause);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private HttpAccess client() {
        HttpAccess c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // NORMAL never follows an https URL to plain http.
                    client = network.get().client(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(connectTimeout));
                }
                c = client;
            }
        }
        return c;
    }

    static String hash(Path file) {
        return dev.qmt4j.oci.Digest.sha256(file).hex();
    }
}
