package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.qmt4j.oci.Descriptor;
import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.MediaTypes;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob GETs often redirect to object storage. The registry's Authorization must not follow them
 * to another host (or even another port): this registry stand-in demands Basic auth and 307s to a
 * "storage" server that records what it was sent. (The real registry cannot be made to redirect
 * to another host, hence the stand-in.)
 */
class RedirectTest {
    private static final byte[] BLOB = "plugin bytes from storage".getBytes();

    private HttpServer registry;
    private HttpServer storage;
    private final List<String> storageAuthorization = new CopyOnWriteArrayList<>();
    private final List<String> registryAuthorization = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        storage.createContext("/", ex -> {
            String a = ex.getRequestHeaders().getFirst("Authorization");
            storageAuthorization.add(a == null ? "(none)" : a);
            ex.getResponseHeaders().set("Connection", "close"); // idle keep-alive connections make stop() slow
            ex.sendResponseHeaders(200, BLOB.length);
            ex.getResponseBody().write(BLOB);
            ex.close();
        });
        storage.start();
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        registry.createContext("/", ex -> {
            String a = ex.getRequestHeaders().getFirst("Authorization");
            ex.getResponseHeaders().set("Connection", "close");
            if (a == null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
                ex.sendResponseHeaders(401, -1);
            } else {
                registryAuthorization.add(a);
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/bucket/blob?sig=1");
                ex.sendResponseHeaders(307, -1);
            }
            ex.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    @Test
    void authorizationIsNotSentToTheRedirectTarget() throws Exception {
        String host = "127.0.0.1:" + registry.getAddress().getPort();
        // A JDK HttpServer stand-in never answers a TLS ClientHello, so name it plain HTTP rather than let it be probed.
        RegistryClient client = new RegistryClient(TestImages.options(null).insecureRegistries(List.of(host))
                .credentials(CredentialStore.of(Map.of(host, new Credentials.Basic("u", "p")))).build());
        Path out = tmp.resolve("blob");
        Descriptor d = Descriptor.of(MediaTypes.WASM_LAYER, Digest.sha256(BLOB), BLOB.length);
        client.source(TestImages.ref(host, "r/x", "1")).fetchBlob(d, out, (done, total) -> { });
        assertArrayEquals(BLOB, Files.readAllBytes(out));
        assertEquals(List.of(new Credentials.Basic("u", "p").header()), registryAuthorization);
        assertEquals(List.of("(none)"), storageAuthorization);
    }
}
