package dev.qmt4j.oci.registry;

import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.oci.ImageSource;
import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.auth.Authenticator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Talks the OCI distribution API. One instance shares its {@link HttpAccess} (one {@link HttpClient} per
 * scheme, each with its connection pool, and the token cache) among all sources and targets it opens; it is
 * thread-safe. A registry spoken to over plain HTTP never sets up TLS.
 *
 * <p>HTTPS is used for every registry except those in {@link RegistryOptions#insecureRegistries()}
 * (plain HTTP) and loopback ones ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), which are spoken to
 * over HTTPS when they speak TLS and over plain HTTP otherwise (probed once per client). Certificates are
 * checked against the JDK's trust anchors plus {@link RegistryOptions#caCertificates()}.
 */
public final class RegistryClient {
    /** How long a loopback registry may take to answer a TLS ClientHello before it counts as plain HTTP. */
    private static final Duration PROBE_READ_TIMEOUT = Duration.ofSeconds(2);

    private final RegistryOptions options;
    private final Transport transport;
    /** The same HTTP client and credentials without retries: a mirror that fails gives way to the next source at once. */
    private final Transport failFast;
    private final RegistryRoutes routes;
    private final List<String> insecure;
    private final CoolDowns coolDowns = new CoolDowns();
    private final Map<String, String> loopbackSchemes = new ConcurrentHashMap<>();

    public RegistryClient(RegistryOptions options) {
        this(options, RegistryRoutes.none());
    }

    /**
     * A client that reads through the mirrors and remaps of {@code routes} ({@link #open}); pushes and
     * {@link #source} still go to the registry a reference names.
     */
    public RegistryClient(RegistryOptions options, RegistryRoutes routes) {
        this.options = options;
        this.routes = java.util.Objects.requireNonNull(routes, "routes");
        List<String> plain = new java.util.ArrayList<>(options.insecureRegistries());
        routes.insecureHosts().forEach(h -> plain.add(h.toLowerCase(java.util.Locale.ROOT)));
        this.insecure = List.copyOf(plain);
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Redirects are followed by hand so Authorization never follows them to another host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        // Extra CAs, proxies (with credentials), and a selector thread stopped at JVM exit (else exiting waits 0.3 s).
        HttpAccess http = HttpAccess.build(b, options.caCertificates(), options.proxySelector());
        Authenticator auth = new Authenticator(http, options.credentials(), options.requestTimeout(), options.userAgent(),
                hostPort -> RegistryOptions.plainHttpAllowed(hostPort, options.insecureRegistries()));
        this.transport = new Transport(http, options, auth);
        this.failFast = new Transport(http, options.toBuilder().maxRetries(0).build(), auth);
    }

    /** A client with {@link RegistryOptions#defaults()}. */
    public static RegistryClient create() {
        return new RegistryClient(RegistryOptions.defaults());
    }

    public RegistryOptions options() {
        return options;
    }

    /**
     * Checks that {@code registry} ({@code host[:port]}) speaks the distribution API and accepts our
     * credentials, if it wants any. Throws a {@code NETWORK} or {@code AUTH} error otherwise.
     */
    public void ping(String registry) {
        ping(registry, true);
    }

    /** As {@link #ping(String)}; without {@code retry}, one attempt (a mirror check must not wait for backoff). */
    public void ping(String registry, boolean retry) {
        URI uri = baseUri(registry).resolve("/v2/");
        (retry ? transport : failFast).retrying(registry, () -> {
            HttpResponse<InputStream> r = transport.exchange(Transport.Call.get(uri, registry, List.of(), Map.of()));
            if (r.statusCode() / 100 != 2) {
                throw RegistryErrors.fromResponse(r, registry, "(none)", "API version check /v2/");
            }
            Transport.discard(r);
            return null;
        });
    }

    /** Reads images from {@code ref}'s repository. */
    public RegistrySource source(RegistryRef ref) {
        return new RegistrySource(ref, transport, baseUri(ref.registry()));
    }

    /** The mirrors and remaps this client reads through. */
    public RegistryRoutes routes() {
        return routes;
    }

    /** The ordered sources {@link #open} reads {@code ref} from. */
    public Route route(RegistryRef ref) {
        return routes.route(ref);
    }

    /**
     * Reads images of {@code ref} through its {@link Route}: straight from its registry when no
     * {@code [[oci.registry]]} entry applies, else from the mirrors and the primary location with failover
     * (docs/mirrors.md). {@link ImageSource#reference()} stays {@code ref}, so verification and the cache
     * never see a mirror's name.
     */
    public ImageSource open(RegistryRef ref) {
        Route route = routes.route(ref);
        return route.routed() ? new RoutedSource(route, this) : source(ref);
    }

    /** A source for one route source; mirrors get {@code ?ns=<upstream host>}, and only the last source retries. */
    RegistrySource source(RouteSource s, String upstreamHost, boolean retrying) {
        String query = s.mirror() ? "?ns=" + java.net.URLEncoder.encode(upstreamHost, java.nio.charset.StandardCharsets.UTF_8) : "";
        return new RegistrySource(s.ref(), retrying ? transport : failFast, baseUri(s.ref().registry()), query, s.apiRoot());
    }

    CoolDowns coolDowns() {
        return coolDowns;
    }

    /** Writes images to {@code ref}'s repository. */
    public RegistryTarget target(RegistryRef ref) {
        return new RegistryTarget(ref, transport, baseUri(ref.registry()));
    }

    /** {@code scheme://apiHost}, where Docker Hub's API host differs from its name. */
    URI baseUri(String registry) {
        String apiHost = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
        return URI.create(scheme(registry) + "://" + apiHost);
    }

    private String scheme(String registry) {
        String scheme = Hosts.scheme(registry, insecure);
        if (scheme.equals("https") || Hosts.listedInsecure(registry, insecure)) {
            return scheme;
        }
        String known = loopbackSchemes.get(registry);
        if (known != null) {
            return known;
        }
        URI plain = URI.create("http://" + registry);
        int port = plain.getPort() == -1 ? 80 : plain.getPort();
        Optional<Boolean> tls = TlsProbe.speaksTls(plain.getHost().replaceAll("^\\[|\\]$", ""),
                port, options.connectTimeout(), PROBE_READ_TIMEOUT);
        if (tls.isEmpty()) {
            return "http"; // not reachable now: the request fails with the usual message, and the next one probes again
        }
        String chosen = tls.get() ? "https" : "http";
        loopbackSchemes.put(registry, chosen);
        return chosen;
    }
}
