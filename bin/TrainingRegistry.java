import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only OCI distribution endpoint over one OCI image layout, on 127.0.0.1, for bin/qmt4j's
 * class-data-sharing training runs only: they pull from it so the archive holds the registry
 * client's classes (HTTP client, blob download, signature discovery) as a real pull loads them.
 * Not a registry: any repository name serves the same layout, and nothing is checked.
 *
 * <p>Usage: {@code java bin/TrainingRegistry.java LAYOUT_DIR PORT_FILE}. It writes the port it
 * listens on to PORT_FILE and serves until killed, or for five minutes at most.
 */
public final class TrainingRegistry {
    private static final Pattern DESCRIPTOR = Pattern.compile(
            "\\{\"mediaType\":\"([^\"]+)\",\"digest\":\"(sha256:[0-9a-f]{64})\"[^{}]*\"annotations\":\\{[^{}]*"
                    + "\"org.opencontainers.image.ref.name\":\"([^\"]+)\"");
    private static final Pattern MEDIA_TYPE = Pattern.compile("\"mediaType\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PATH = Pattern.compile("^/v2/.+/(manifests|blobs)/([^/]+)$");

    public static void main(String[] args) throws IOException {
        Path layout = Path.of(args[0]);
        Map<String, String[]> tags = new HashMap<>(); // tag -> {mediaType, digest}
        Matcher m = DESCRIPTOR.matcher(Files.readString(layout.resolve("index.json")));
        while (m.find()) {
            tags.put(m.group(3), new String[] {m.group(1), m.group(2)});
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            try (ex) {
                serve(ex, layout, tags);
            }
        });
        server.start();
        // Never outlive the training: should the launcher be killed before it stops us, exit anyway.
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(300_000);
            } catch (InterruptedException e) {
                // exit now
            }
            System.exit(0);
        }, "training-registry-reaper");
        reaper.setDaemon(true);
        reaper.start();
        Path portFile = Path.of(args[1]);
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
        Files.move(tmp, portFile);
    }

    private static void serve(HttpExchange ex, Path layout, Map<String, String[]> tags) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/v2/") || path.equals("/v2")) {
            send(ex, 200, null, null, new byte[0]);
            return;
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            send(ex, 404, null, null, new byte[0]);
            return;
        }
        String ref = m.group(2);
        String mediaType = null;
        String digest = ref;
        if (m.group(1).equals("manifests") && !ref.startsWith("sha256:")) {
            String[] tagged = tags.get(ref);
            if (tagged == null) {
                send(ex, 404, null, null, new byte[0]);
                return;
            }
            mediaType = tagged[0];
            digest = tagged[1];
        }
        Path blob = layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
        if (!digest.matches("sha256:[0-9a-f]{64}") || !Files.isRegularFile(blob)) {
            send(ex, 404, null, null, new byte[0]);
            return;
        }
        byte[] bytes = Files.readAllBytes(blob);
        if (m.group(1).equals("manifests") && mediaType == null) {
            Matcher t = MEDIA_TYPE.matcher(new String(bytes, StandardCharsets.UTF_8));
            mediaType = t.find() ? t.group(1) : "application/vnd.oci.image.manifest.v1+json";
        }
        send(ex, 200, m.group(1).equals("manifests") ? mediaType : "application/octet-stream", digest, bytes);
    }

    private static void send(HttpExchange ex, int status, String type, String digest, byte[] body) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().set("Content-Type", type);
        }
        if (digest != null) {
            ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        }
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
