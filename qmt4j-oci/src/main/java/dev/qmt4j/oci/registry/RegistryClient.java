package dev.qmt4j.oci.registry;

import dev.qmt4j.oci.RegistryRef;
import dev.qmt4j.oci.registry.auth.Authenticator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Talks the OCI distribution API. One instance shares one {@link HttpClient} (and its connection
 * pool and token cache) among all sources and targets it opens; it is thread-safe.
 *
 * <p>Plain HTTP is used for loopback registries and those in
 * {@link RegistryOptions#insecureRegistries()}, HTTPS for everything else.
 */
public final class RegistryClient {
    private final RegistryOptions options;
    private final Transport transport;

    public RegistryClient(RegistryOptions options) {
        this.options = options;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Redirects are followed by hand so Authorization never follows them to another host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        options.proxySelector().ifPresent(b::proxy);
        HttpClient http = b.build();
        this.transport = new Transport(http, options,
                new Authenticator(http, options.credentials(), options.requestTimeout(), options.userAgent()));
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
        URI uri = baseUri(registry).resolve("/v2/");
        transport.retrying(registry, () -> {
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

    /** Writes images to {@code ref}'s repository. */
    public RegistryTarget target(RegistryRef ref) {
        return new RegistryTarget(ref, transport, baseUri(ref.registry()));
    }

    /** {@code scheme://apiHost}, where Docker Hub's API host differs from its name. */
    URI baseUri(String registry) {
        String apiHost = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
        return URI.create(Hosts.scheme(registry, options.insecureRegistries()) + "://" + apiHost);
    }
}
