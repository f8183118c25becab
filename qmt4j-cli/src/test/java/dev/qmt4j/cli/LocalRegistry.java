package dev.qmt4j.cli;


import dev.qmt4j.testkit.RegistryServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry (CNCF Distribution on 127.0.0.1, no auth) for one test class; RegistryServer fails fast, with the install hint, when
 * docker-registry is not installed. Use as {@code @RegisterExtension static final LocalRegistry registry = new LocalRegistry();},
 * or {@link #tls()} for one that speaks only HTTPS with a certificate of the {@code TestCertificates} CA.
 */
final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {
    private final boolean tls;
    private RegistryServer server;

    LocalRegistry() {
        this(false);
    }

    private LocalRegistry(boolean tls) {
        this.tls = tls;
    }

    /** A registry that speaks only HTTPS; clients must trust {@code TestCertificates.shared().caCertificate()}. */
    static LocalRegistry tls() {
        return new LocalRegistry(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = tls ? RegistryServer.startTls(RegistryServer.Auth.NONE) : RegistryServer.start(RegistryServer.Auth.NONE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** host:port of the running registry. */
    String host() {
        return server.host();
    }
}
