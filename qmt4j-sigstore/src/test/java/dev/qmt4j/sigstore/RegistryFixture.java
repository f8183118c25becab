package dev.qmt4j.sigstore;

import dev.qmt4j.oci.Digest;
import dev.qmt4j.oci.ImagePackager;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.RegistryClient;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.oci.registry.RegistrySource;
import dev.qmt4j.oci.registry.RegistryTarget;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.oci.registry.auth.Credentials;
import dev.qmt4j.testkit.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry client for a testkit registry (with its credentials) and a way to push small Wasm plugins.
 * {@link #perClass()} makes one that, registered with {@code @RegisterExtension} on a static field,
 * starts an anonymous registry before the test class and closes it after.
 */
final class RegistryFixture implements BeforeAllCallback, AfterAllCallback {
    private final boolean perClass;
    private RegistryServer registry;
    private RegistryClient client;

    RegistryFixture(RegistryServer registry) {
        this.perClass = false;
        connect(registry);
    }

    private RegistryFixture() {
        this.perClass = true;
    }

    /** A fixture for an anonymous registry of its own, started and closed with the test class. */
    static RegistryFixture perClass() {
        return new RegistryFixture();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            connect(RegistryServer.start(RegistryServer.Auth.NONE));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            registry.close();
        }
    }

    private void connect(RegistryServer registry) {
        this.registry = registry;
        CredentialStore store = registry.auth() == RegistryServer.Auth.NONE ? CredentialStore.anonymous()
                : CredentialStore.of(Map.of(registry.host(), new Credentials.Basic(registry.username(), registry.password())));
        this.client = new RegistryClient(RegistryOptions.builder().credentials(store).proxySelector(null).maxRetries(2)
                .backoffBase(Duration.ofMillis(1)).maxRetryAfter(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20)).build());
    }

    /** The registry's host:port. */
    String host() {
        return registry.host();
    }

    RegistryRef ref(String repository, String tag) {
        return new RegistryRef(registry.host(), repository, Optional.of(tag), Optional.empty());
    }

    /** Pushes a Wasm plugin with random content and returns its digest. */
    Digest pushWasm(RegistryRef ref, long seed) {
        try {
            Path wasm = Files.createTempFile("plugin", ".wasm");
            byte[] bytes = new byte[2048];
            new Random(seed).nextBytes(bytes);
            bytes[0] = 0;
            bytes[1] = 'a';
            bytes[2] = 's';
            bytes[3] = 'm';
            Files.write(wasm, bytes);
            try (RegistryTarget t = client.target(ref)) {
                return ImagePackager.pushWasm(t, wasm, ref.tag().orElseThrow(), Map.of());
            } finally {
                Files.deleteIfExists(wasm);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RegistrySource source(RegistryRef ref) {
        return client.source(ref);
    }

    RegistryTarget target(RegistryRef ref) {
        return client.target(ref);
    }
}
