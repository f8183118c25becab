package dev.qmt4j.testkit;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTPS file server on 127.0.0.1 (the JDK's {@code HttpsServer}) with the
 * {@link TestCertificates#shared()} server certificate, for {@code https://} plugin sources. Clients must
 * trust {@link TestCertificates#caCertificate()}. It counts the GETs of each path.
 *
 * <pre>{@code
 * try (HttpsFileServer files = HttpsFileServer.start()) {
 *     String url = files.serve("/plugin.wasm", wasmFile);   // https://127.0.0.1:PORT/plugin.wasm
 * }
 * }</pre>
 */
public final class HttpsFileServer implements AutoCloseable {
    private final HttpsServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();

    private HttpsFileServer(HttpsServer server) {
        this.server = server;
    }

    /** Starts serving on a free port of 127.0.0.1; nothing is served until {@link #serve}. */
    public static HttpsFileServer start() {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.shared().serverContext()));
            HttpsFileServer files = new HttpsFileServer(s);
            s.createContext("/", ex -> {
                try (ex) {
                    String path = ex.getRequestURI().getPath();
                    files.gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    byte[] body = files.files.get(path);
                    ex.getResponseHeaders().set("Connection", "close"); // idle keep-alive connections make stop() slow
                    if (body == null || !ex.getRequestMethod().equals("GET")) {
                        ex.sendResponseHeaders(body == null ? 404 : 405, -1);
                        return;
                    }
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(body);
                    }
                }
            });
            s.start();
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code file}'s current bytes at {@code path}; returns its URL. */
    public String serve(String path, Path file) {
        try {
            return serve(path, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code body} at {@code path} (starting with {@code /}); returns its URL. */
    public String serve(String path, byte[] body) {
        files.put(path, body.clone());
        return url(path);
    }

    /** {@code https://127.0.0.1:PORT} + {@code path}. */
    public String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many GETs of {@code path} arrived. */
    public int getCount(String path) {
        AtomicInteger n = gets.get(path);
        return n == null ? 0 : n.get();
    }

    /** Stops listening; the port is closed. */
    @Override
    public void close() {
        server.stop(0);
    }
}
