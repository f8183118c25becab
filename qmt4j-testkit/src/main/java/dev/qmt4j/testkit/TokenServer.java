package dev.qmt4j.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Docker token-auth endpoint (the {@code realm} of a Bearer challenge) for one user.
 *
 * <p>{@code GET /token?service=..&scope=..} with Basic credentials, or anonymously, and the OAuth2
 * {@code POST /token} with {@code grant_type=refresh_token} (identity token) or {@code password}.
 * It signs RS256 JWTs the registry verifies against {@link #certificatePem()}. Anonymous callers
 * get pull access only if {@code anonymousPull} is set, and otherwise a token granting nothing, as
 * Docker Hub does; wrong credentials get 401. With {@code tls} it serves HTTPS with the
 * {@link TestCertificates} server certificate.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "qmt4j-testkit-registry";
    public static final String ISSUER = "qmt4j-testkit-token-issuer";

    private final HttpServer server;
    private final SigningKey key = SigningKey.shared();
    private final String username;
    private final String password;
    private final String identityToken;
    private final boolean anonymousPull;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> scopesRequested = new CopyOnWriteArrayList<>();
    private volatile long expiresInSeconds = 300;

    /** A token server over plain HTTP. */
    public TokenServer(String username, String password, boolean anonymousPull) {
        this(username, password, anonymousPull, false);
    }

    /** @param tls serve HTTPS (clients must trust {@link TestCertificates#caCertificate()}) */
    public TokenServer(String username, String password, boolean anonymousPull, boolean tls) {
        this.username = username;
        this.password = password;
        this.identityToken = "identity-" + UUID.randomUUID();
        this.anonymousPull = anonymousPull;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls) {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.shared().serverContext()));
                server = https;
            } else {
                server = HttpServer.create(address, 16);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::handle);
        server.start();
    }

    /** The realm URL to configure in the registry. */
    public String realm() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** A refresh token accepted by the OAuth2 flow, as {@code identitytoken} in a Docker config. */
    public String identityToken() {
        return identityToken;
    }

    /** How many token requests were answered (successfully or not). */
    public int requestCount() {
        return requests.get();
    }

    /** Every {@code scope} parameter received, in order. */
    public List<String> scopesRequested() {
        return List.copyOf(scopesRequested);
    }

    /** Lifetime of issued tokens, reported as {@code expires_in}. */
    public void expiresInSeconds(long seconds) {
        this.expiresInSeconds = seconds;
    }

    java.nio.file.Path certificatePem() {
        return key.certificatePem;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            List<String[]> params = new ArrayList<>(parseQuery(ex.getRequestURI().getRawQuery()));
            String user = null;
            boolean authenticated = false;
            if (ex.getRequestMethod().equals("POST")) {
                params.addAll(parseQuery(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                String grant = param(params, "grant_type");
                if ("refresh_token".equals(grant) && identityToken.equals(param(params, "refresh_token"))) {
                    authenticated = true;
                } else if ("password".equals(grant) && username.equals(param(params, "username"))
                        && password.equals(param(params, "password"))) {
                    authenticated = true;
                } else {
                    reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid grant\"}]}");
                    return;
                }
            } else {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    if (!auth.regionMatches(true, 0, "Basic ", 0, 6) || !checkBasic(auth.substring(6).trim())) {
                        reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                        return;
                    }
                    authenticated = true;
                }
            }
            if (authenticated) {
                user = username;
            }
            List<String> access = new ArrayList<>();
            for (String[] p : params) {
                if (p[0].equals("scope")) {
                    scopesRequested.add(p[1]);
                    String grant = grant(p[1], authenticated);
                    if (grant != null) {
                        access.add(grant);
                    }
                }
            }
            long now = Instant.now().getEpochSecond();
            String token = jwt(user == null ? "" : user, access, now);
            reply(ex, 200, "{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":"
                    + expiresInSeconds + ",\"issued_at\":\"" + Instant.ofEpochSecond(now) + "\"}");
        }
    }

    /** Turns {@code repository:name:actions} into a JWT access entry, or null if nothing is granted. */
    private String grant(String scope, boolean authenticated) {
        String[] parts = scope.split(":");
        if (parts.length != 3 || !parts[0].equals("repository")) {
            return null;
        }
        List<String> actions = new ArrayList<>();
        for (String a : parts[2].split(",")) {
            if (authenticated || (anonymousPull && a.equals("pull"))) {
                actions.add("\"" + a + "\"");
            }
        }
        if (actions.isEmpty()) {
            return null;
        }
        return "{\"type\":\"repository\",\"name\":\"" + parts[1] + "\",\"actions\":[" + String.join(",", actions) + "]}";
    }

    private boolean checkBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            return decoded.equals(username + ":" + password);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String jwt(String subject, List<String> access, long now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + key.certificateBase64() + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\",\"exp\":"
                + (now + expiresInSeconds) + ",\"nbf\":" + (now - 30) + ",\"iat\":" + now + ",\"jti\":\""
                + UUID.randomUUID() + "\",\"access\":[" + String.join(",", access) + "]}";
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + b64.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static List<String[]> parseQuery(String raw) {
        List<String[]> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new String[] {URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)});
        }
        return out;
    }

    private static String param(List<String[]> params, String name) {
        return params.stream().filter(p -> p[0].equals(name)).map(p -> p[1]).findFirst().orElse(null);
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        // Idle keep-alive connections would make HttpServer.stop() wait for its dispatcher.
        ex.getResponseHeaders().set("Connection", "close");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** The URI of this server, for tests that call it directly. */
    public URI uri() {
        return URI.create(realm());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
