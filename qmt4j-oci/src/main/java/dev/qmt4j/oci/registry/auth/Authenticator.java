package dev.qmt4j.oci.registry.auth;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.http.HttpTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers registry auth challenges: Bearer (the Docker token flow, anonymous or with credentials,
 * including the OAuth2 refresh-token grant for identity tokens) and Basic.
 *
 * <p>Scopes look like {@code repository:team/plugin:pull}; a request may need several (a blob mount
 * reads one repository and writes another). Tokens are cached per registry and scope set until
 * shortly before they expire; Basic credentials per registry, so later requests send them at once.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final HttpAccess http;
    private final CredentialStore credentials;
    /** Largest token response read (a token with its JSON is a few KiB; registries' JWTs stay far below). */
    static final int MAX_TOKEN_RESPONSE_BYTES = 1 << 20;

    private final Duration timeout;
    private final String userAgent;
    private final TokenCache tokens;
    private final Predicate<String> plainHttpAllowed;
    private final Map<String, String> basicByRegistry = new ConcurrentHashMap<>();
    /** Registries whose credential helper is not installed, for the message when they refuse anonymous access. */
    private final Map<String, CredentialLookup.HelperMissing> missingHelpers = new ConcurrentHashMap<>();

    /**
     * Token requests go through {@code http} (its trust, proxies and proxy credentials); credentials are sent to
     * a plain-HTTP token realm only on a loopback host.
     */
    public Authenticator(HttpAccess http, CredentialStore credentials, Duration timeout, String userAgent) {
        this(http, credentials, timeout, userAgent, LOOPBACK_ONLY);
    }

    /**
     * As above; {@code plainHttpAllowed} says which token-realm hosts ({@code host[:port]}) may receive credentials
     * over plain HTTP (loopback and {@code insecure_registries}, see
     * {@link dev.qmt4j.oci.registry.RegistryOptions#plainHttpAllowed}).
     */
    public Authenticator(HttpAccess http, CredentialStore credentials, Duration timeout, String userAgent,
            Predicate<String> plainHttpAllowed) {
        this(http, credentials, timeout, userAgent, Clock.systemUTC(), plainHttpAllowed);
    }

    /** As above, over a client built elsewhere (no proxy credentials of ours). */
    public Authenticator(HttpClient http, CredentialStore credentials, Duration timeout, String userAgent) {
        this(HttpAccess.wrap(http), credentials, timeout, userAgent, Clock.systemUTC(), LOOPBACK_ONLY);
    }

    Authenticator(HttpAccess http, CredentialStore credentials, Duration timeout, String userAgent, Clock clock) {
        this(http, credentials, timeout, userAgent, clock, LOOPBACK_ONLY);
    }

    Authenticator(HttpAccess http, CredentialStore credentials, Duration timeout, String userAgent, Clock clock,
            Predicate<String> plainHttpAllowed) {
        this.http = http;
        this.credentials = credentials;
        this.timeout = timeout;
        this.userAgent = userAgent;
        this.tokens = new TokenCache(clock);
        this.plainHttpAllowed = plainHttpAllowed;
    }

    private static final Predicate<String> LOOPBACK_ONLY =
            hostPort -> dev.qmt4j.oci.registry.RegistryOptions.plainHttpAllowed(hostPort, List.of());

    /** An Authorization value already known to work for this registry and scopes, if any. */
    public Optional<String> cached(String registry, List<String> scopes) {
        String basic = basicByRegistry.get(registry);
        return basic != null ? Optional.of(basic) : tokens.get(registry, scopes);
    }

    /** Forgets what {@link #cached} would return, after the registry rejected it. */
    public void invalidate(String registry, List<String> scopes) {
        basicByRegistry.remove(registry);
        tokens.remove(registry, scopes);
    }

    /**
     * Produces an Authorization header value answering {@code challenges} for {@code scopes}.
     *
     * @throws Qmt4jException {@code AUTH} if no supported challenge can be answered or credentials are refused
     */
    public String authorize(String registry, List<Challenge> challenges, List<String> scopes) {
        CredentialLookup lookup = credentials.find(registry);
        Optional<Credentials> creds = lookup instanceof CredentialLookup.Found f ? Optional.of(f.credentials()) : Optional.empty();
        if (lookup instanceof CredentialLookup.HelperMissing m) {
            missingHelpers.put(registry, m);
        } else {
            missingHelpers.remove(registry);
        }
        for (Challenge c : challenges) {
            if (c.isBearer() && c.param("realm").isPresent()) {
                String header = "Bearer " + fetchToken(registry, c, scopes, creds);
                return header;
            }
        }
        for (Challenge c : challenges) {
            if (c.isBasic()) {
                if (creds.isEmpty() || !(creds.get() instanceof Credentials.Basic basic)) {
                    throw refusedAnonymous(registry, "registry " + registry + " requires a user name and password");
                }
                String header = basic.header();
                basicByRegistry.put(registry, header);
                return header;
            }
        }
        throw new Qmt4jException(ErrorKind.AUTH, "registry " + registry + " asks for an unsupported authentication scheme: "
                + challenges.stream().map(Challenge::scheme).toList(), "qmt4j supports Bearer token and Basic auth");
    }

    private String fetchToken(String registry, Challenge challenge, List<String> scopes, Optional<Credentials> creds) {
        String realm = challenge.param("realm").orElseThrow();
        Optional<String> service = challenge.param("service");
        // The challenge's own scope matters when we asked for none (e.g. ping); ours otherwise.
        List<String> wanted = new ArrayList<>(scopes);
        if (wanted.isEmpty()) {
            challenge.param("scope").ifPresent(s -> wanted.addAll(List.of(s.split(" "))));
        }
        HttpRequest request;
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new Qmt4jException(ErrorKind.AUTH, "registry " + registry + " sent an invalid token realm '" + realm + "'", null);
        }
        String realmScheme = realmUri.getScheme() == null ? "" : realmUri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!realmScheme.equals("https") && !realmScheme.equals("http") || realmUri.getHost() == null) {
            throw new Qmt4jException(ErrorKind.AUTH, "refused the token realm " + realm + " of registry " + registry
                    + ": it is not an http(s) URL with a host", "the registry is misconfigured or not what it claims to be;"
                    + " check its WWW-Authenticate header");
        }
        if (creds.isPresent()) {
            checkRealmForCredentials(registry, realm, realmUri);
        }
        if (creds.isPresent() && creds.get() instanceof Credentials.IdentityToken identity) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=qmt4j&refresh_token=")
                    .append(enc(identity.token()));
            service.ifPresent(s -> form.append("&service=").append(enc(s)));
            if (!wanted.isEmpty()) {
                form.append("&scope=").append(enc(String.join(" ", wanted)));
            }
            request = base(realmUri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        } else {
            StringBuilder query = new StringBuilder();
            service.ifPresent(s -> query.append("service=").append(enc(s)));
            for (String scope : wanted) {
                query.append(query.length() == 0 ? "" : "&").append("scope=").append(enc(scope));
            }
            String sep = realm.contains("?") ? "&" : "?";
            URI uri = URI.create(query.length() == 0 ? realm : realm + sep + query);
            HttpRequest.Builder b = base(uri).GET();
            creds.filter(Credentials.Basic.class::isInstance)
                    .map(c -> ((Credentials.Basic) c).header())
                    .ifPresent(h -> b.header("Authorization", h));
            request = b.build();
        }
        int status;
        byte[] body;
        try {
            // The shared timeouts (HttpTimeouts): headers within the timeout, then no silent gap longer than it
            // in the body, which is also capped: the realm may name any host, and a token is a few KiB.
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream(), timeout);
            status = response.statusCode();
            try (InputStream in = HttpTimeouts.idleGuarded(response.body(), timeout)) {
                body = in.readNBytes(MAX_TOKEN_RESPONSE_BYTES + 1);
            }
        } catch (IOException e) {
            if (dev.qmt4j.http.CaCertificates.isUntrusted(e)) {
                throw new Qmt4jException(ErrorKind.NETWORK, "cannot reach the token service " + realmUri.getHost() + " of registry "
                        + registry + ": its TLS certificate is not signed by a trusted CA", dev.qmt4j.http.CaCertificates.UNTRUSTED_HINT, e);
            }
            throw new Qmt4jException(ErrorKind.NETWORK, "cannot reach the token service " + realmUri.getHost()
                    + " of registry " + registry + ": " + e.getMessage(), "check your network and proxy settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Qmt4jException(ErrorKind.NETWORK, "interrupted while fetching a token for " + registry, null, e);
        }
        if (body.length > MAX_TOKEN_RESPONSE_BYTES) {
            throw new Qmt4jException(ErrorKind.AUTH, "token service " + realmUri.getHost() + " of registry " + registry
                    + " answered with more than " + MAX_TOKEN_RESPONSE_BYTES + " bytes; a token response is a few KiB",
                    "the registry's token realm is misconfigured or not what it claims to be");
        }
        if (status == 401 || status == 403) {
            String message = "registry " + registry + " refused credentials" + (creds.isPresent() ? "" : " (none were found)")
                    + " for " + String.join(" ", wanted) + " (token service answered " + status + ")";
            throw creds.isPresent() ? new Qmt4jException(ErrorKind.AUTH, message, loginHint(registry))
                    : refusedAnonymous(registry, message);
        }
        if (status / 100 != 2) {
            throw new Qmt4jException(status >= 500 ? ErrorKind.NETWORK : ErrorKind.AUTH, "token service of registry " + registry
                    + " answered HTTP " + status, null);
        }
        String token;
        Duration lifetime = DEFAULT_TOKEN_LIFETIME;
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode t = json.get("token");
            if (t == null || !t.isString() || t.stringValue().isEmpty()) {
                t = json.get("access_token");
            }
            if (t == null || !t.isString() || t.stringValue().isEmpty()) {
                throw new Qmt4jException(ErrorKind.AUTH, "token service of registry " + registry + " returned no token", null);
            }
            token = t.stringValue();
            JsonNode expires = json.get("expires_in");
            if (expires != null && expires.isNumber() && expires.asLong() > 0) {
                lifetime = Duration.ofSeconds(expires.asLong());
            }
        } catch (JacksonException e) {
            throw new Qmt4jException(ErrorKind.AUTH, "token service of registry " + registry + " returned invalid JSON", null);
        }
        // Lifetimes are counted from when we received the token, not the server's issued_at:
        // a skewed server clock must not make a fresh token look expired.
        tokens.put(registry, scopes, "Bearer " + token, lifetime);
        LOG.debug("got a token for {} {} valid {}", registry, wanted, lifetime);
        return token;
    }

    /**
     * A realm is the registry's word for where to send our credentials, and it may name any host: they go there
     * only over HTTPS, or over plain HTTP to a loopback host or one the user listed in {@code insecure_registries}
     * (docs/cli.md, "Registries and credentials"). Anonymous token requests are not checked: they carry nothing.
     */
    private void checkRealmForCredentials(String registry, String realm, URI realmUri) {
        String authority = realmUri.getRawAuthority();
        if (realmUri.getScheme().equalsIgnoreCase("https")
                || !authority.contains("@") && plainHttpAllowed.test(authority)) {
            return;
        }
        throw new Qmt4jException(ErrorKind.AUTH, "refused to send the credentials for registry " + registry + " to its token realm "
                + realm + ": plain HTTP to a host that is neither loopback nor in insecure_registries",
                "if that token service is yours and on a trusted network, add " + authority + " to [oci] insecure_registries;"
                        + " otherwise the registry is misconfigured or not what it claims to be");
    }

    private HttpRequest.Builder base(URI uri) {
        return http.newRequest(uri).header("User-Agent", userAgent);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The credential helper that would have supplied credentials for {@code registry} but is not installed, as
     * found by the last challenge answered (so a later 401/403 can name it).
     */
    public Optional<CredentialLookup.HelperMissing> missingHelper(String registry) {
        return Optional.ofNullable(missingHelpers.get(registry));
    }

    /**
     * The {@code AUTH} error for a registry that refused us without credentials: {@code message}, and when a
     * credential helper is missing, which one and how to fix it; else the login advice.
     */
    public Qmt4jException refusedAnonymous(String registry, String message) {
        CredentialLookup.HelperMissing m = missingHelpers.get(registry);
        return m == null ? new Qmt4jException(ErrorKind.AUTH, message, loginHint(registry))
                : new Qmt4jException(ErrorKind.AUTH, message + "; " + m.explanation(), m.hint(registry));
    }

    /** The standard advice when a registry rejects or lacks credentials. */
    public static String loginHint(String registry) {
        return "log in with 'docker login " + registry + "' (or podman login), or point DOCKER_CONFIG or REGISTRY_AUTH_FILE"
                + " at a config with credentials for it";
    }
}
