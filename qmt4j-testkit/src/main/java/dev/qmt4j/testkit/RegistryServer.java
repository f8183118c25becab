package dev.qmt4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import javax.net.ssl.HttpsURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF Distribution registry ({@code /usr/bin/docker-registry}) on 127.0.0.1 for tests.
 *
 * <p>Storage lives in a temporary directory that survives {@link #stop()} and {@link #start()}, so
 * tests can take the registry down and bring it back with the same content. {@link #close()} kills
 * the process and removes everything. The registry's log goes to {@link #logFile()}; print
 * {@link #logs()} when a test fails. {@link #startTls} serves HTTPS with a certificate for 127.0.0.1 signed
 * by the {@link TestCertificates} CA (the registry's {@code http.tls}).
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.TOKEN)) {
 *     String ref = registry.host() + "/team/plugin:1.0";
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {
    /** How clients must authenticate. */
    public enum Auth {
        /** Anyone may push and pull. */
        NONE,
        /** htpasswd Basic auth for {@link #username()}. */
        BASIC,
        /** Bearer tokens from a {@link TokenServer}. */
        TOKEN
    }

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final String USERNAME = "qmt4j";
    private static final String PASSWORD = "s3cret-Pa55";

    private final Auth auth;
    private final Path root;
    private final Path logFile;
    private final Path config;
    private final TokenServer tokenServer;
    private final TestCertificates tls;
    /** {@code proxy:} settings for a pull-through cache: remote URL, then optional user and password; else null. */
    private final List<String> proxy;
    private int port;
    private Process process;

    private RegistryServer(Auth auth, boolean anonymousPull, boolean tls) {
        this(auth, anonymousPull, tls, null);
    }

    private RegistryServer(Auth auth, boolean anonymousPull, boolean tls, List<String> proxy) {
        this.proxy = proxy;
        Processes.requireExecutable(BINARY, "docker-registry");
        this.auth = auth;
        this.tls = tls ? TestCertificates.shared() : null;
        this.root = TempDirs.create("qmt4j-registry");
        this.logFile = root.resolve("registry.log");
        this.config = root.resolve("config.yml");
        this.tokenServer = auth == Auth.TOKEN ? new TokenServer(USERNAME, PASSWORD, anonymousPull, tls) : null;
    }

    /** Starts a registry with the given auth mode (token auth without anonymous pull). */
    public static RegistryServer start(Auth auth) {
        return start(auth, false);
    }

    /** Starts a registry; with {@link Auth#TOKEN}, {@code anonymousPull} lets callers without credentials pull. */
    public static RegistryServer start(Auth auth, boolean anonymousPull) {
        return start(new RegistryServer(auth, anonymousPull, false));
    }

    /**
     * Starts a registry that speaks only HTTPS, with the {@link TestCertificates#shared()} server certificate
     * (and, with {@link Auth#TOKEN}, a token server that does too); clients must trust
     * {@link TestCertificates#caCertificate()}.
     */
    public static RegistryServer startTls(Auth auth) {
        return start(new RegistryServer(auth, false, true));
    }

    /**
     * Starts a pull-through cache (Distribution's proxy mode, {@code proxy.remoteurl}) of {@code upstream}, without
     * auth of its own: it fetches what it is asked for from the upstream once, stores it, and serves it again even
     * while the upstream is down (tags too, from the last answer). Pushing to it is refused.
     */
    public static RegistryServer startProxy(RegistryServer upstream) {
        List<String> p = upstream.auth() == Auth.NONE
                ? List.of(upstream.url()) : List.of(upstream.url(), upstream.username(), upstream.password());
        return start(new RegistryServer(Auth.NONE, false, false, p));
    }

    private static RegistryServer start(RegistryServer server) {
        try {
            server.firstStart();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void firstStart() {
        IllegalStateException last = null;
        // A free port can be taken between probing and binding; a few attempts make that harmless.
        for (int attempt = 0; attempt < 3; attempt++) {
            port = Ports.free();
            try {
                writeConfig();
                start();
                return;
            } catch (IllegalStateException e) {
                last = e;
                stop();
            }
        }
        throw last;
    }

    /** Starts the process again (after {@link #stop()}) on the same port and storage. Waits until it answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + BINARY + ": " + e.getMessage(), e);
        }
        awaitReady();
    }

    /** Kills the process; storage is kept so {@link #start()} brings the same content back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + logs());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/v2/").toURL().openConnection();
                if (c instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(tls.clientContext().getSocketFactory());
                }
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the registry", e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer on " + url() + " within 15s:\n" + logs());
    }

    private void writeConfig() {
        StringBuilder yml = new StringBuilder();
        yml.append("version: 0.1\n")
                .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(root.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (tls != null) {
            yml.append("  tls:\n    certificate: ").append(tls.certificate()).append('\n')
                    .append("    key: ").append(tls.privateKey()).append('\n');
        }
        if (proxy != null) {
            yml.append("proxy:\n  remoteurl: ").append(proxy.get(0)).append('\n');
            if (proxy.size() == 3) {
                yml.append("  username: ").append(proxy.get(1)).append('\n')
                        .append("  password: ").append(proxy.get(2)).append('\n');
            }
        }
        switch (auth) {
            case NONE -> { }
            case BASIC -> {
                Processes.requireExecutable(Path.of("/usr/bin/htpasswd"), "apache2-utils");
                Path htpasswd = root.resolve("htpasswd");
                write(htpasswd, Processes.check(List.of("/usr/bin/htpasswd", "-Bbn", USERNAME, PASSWORD), null));
                yml.append("auth:\n  htpasswd:\n    realm: qmt4j-testkit\n    path: ").append(htpasswd).append('\n');
            }
            case TOKEN -> yml.append("auth:\n  token:\n")
                    .append("    realm: ").append(tokenServer.realm()).append('\n')
                    .append("    service: ").append(TokenServer.SERVICE).append('\n')
                    .append("    issuer: ").append(TokenServer.ISSUER).append('\n')
                    .append("    rootcertbundle: ").append(tokenServer.certificatePem()).append('\n');
        }
        write(config, yml.toString());
    }

    private static void write(Path path, String text) {
        try {
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, the registry part of a reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:port}, or {@code https://} in TLS mode. */
    public String url() {
        return (tls != null ? "https://" : "http://") + host();
    }

    public int port() {
        return port;
    }

    public Auth auth() {
        return auth;
    }

    /** The user that BASIC and TOKEN modes accept. */
    public String username() {
        return USERNAME;
    }

    /** The password that BASIC and TOKEN modes accept. */
    public String password() {
        return PASSWORD;
    }

    /** The token endpoint, present only in {@link Auth#TOKEN} mode. */
    public TokenServer tokenServer() {
        if (tokenServer == null) {
            throw new IllegalStateException("registry runs with auth " + auth + ", not TOKEN");
        }
        return tokenServer;
    }

    public Path logFile() {
        return logFile;
    }

    /** The registry's log so far (for failure messages). */
    public String logs() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
        if (tokenServer != null) {
            tokenServer.close();
        }
        TempDirs.deleteQuietly(root);
    }
}
