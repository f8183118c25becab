package dev.qmt4j.oci.registry;

import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.oci.registry.auth.CredentialStore;
import dev.qmt4j.http.proxy.EnvironmentProxySelector;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link RegistryClient} talks to registries.
 *
 * @param insecureRegistries hosts ({@code host} or {@code host:port}) spoken to over plain HTTP
 * @param connectTimeout     TCP/TLS connect timeout
 * @param requestTimeout     time to the response headers of one request, and the longest a blob body may go
 *                           silent before the download is abandoned and resumed (a body may take longer in all)
 * @param maxRetries         retries after the first attempt for 429, 502-504 and dropped connections
 * @param backoffBase        first retry delay; doubled each time, with jitter
 * @param maxRetryAfter      cap on a server's {@code Retry-After}
 * @param userAgent          the {@code User-Agent} header
 * @param credentials        where credentials come from
 * @param proxySelector      proxy choice (an {@code EnvironmentProxySelector} also supplies proxy credentials);
 *                           empty leaves the JDK's default selector (system properties, usually direct)
 * @param chunkThreshold     blobs larger than this are uploaded in chunks
 * @param chunkSize          size of each uploaded chunk
 * @param caCertificates     CA certificates trusted in addition to the JDK's (registries and token servers)
 */
public record RegistryOptions(List<String> insecureRegistries, Duration connectTimeout, Duration requestTimeout,
        int maxRetries, Duration backoffBase, Duration maxRetryAfter, String userAgent, CredentialStore credentials,
        Optional<ProxySelector> proxySelector, long chunkThreshold, long chunkSize, CaCertificates caCertificates) {

    public RegistryOptions {
        insecureRegistries = insecureRegistries.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(proxySelector, "proxySelector");
        Objects.requireNonNull(caCertificates, "caCertificates");
        if (maxRetries < 0 || chunkThreshold < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("maxRetries must be >= 0 and chunk sizes positive");
        }
    }

    /** Defaults with credentials and proxies from the environment. */
    public static RegistryOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy to change a few settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.insecureRegistries = insecureRegistries;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.maxRetries = maxRetries;
        b.backoffBase = backoffBase;
        b.maxRetryAfter = maxRetryAfter;
        b.userAgent = userAgent;
        b.credentials = credentials;
        b.proxySelector = proxySelector;
        b.chunkThreshold = chunkThreshold;
        b.chunkSize = chunkSize;
        b.caCertificates = caCertificates;
        return b;
    }

    /**
     * Whether {@code hostPort} may be spoken to over plain HTTP with credentials: a loopback host, or one listed
     * (by host:port or host) in {@code insecure}.
     */
    public static boolean plainHttpAllowed(String hostPort, java.util.Collection<String> insecure) {
        return Hosts.isLoopback(Hosts.hostPart(hostPort)) || Hosts.listedInsecure(hostPort, insecure);
    }

    /** {@code qmt4j/<version>}, the version from the jar manifest when packaged. */
    public static String defaultUserAgent() {
        String v = RegistryOptions.class.getPackage().getImplementationVersion();
        return "qmt4j/" + (v == null ? "dev" : v);
    }

    /** Builds {@link RegistryOptions}; every setting has a sensible default. */
    public static final class Builder {
        private List<String> insecureRegistries = List.of();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxRetries = 4;
        private Duration backoffBase = Duration.ofMillis(250);
        private Duration maxRetryAfter = Duration.ofSeconds(30);
        private String userAgent = defaultUserAgent();
        private CredentialStore credentials;
        private Optional<ProxySelector> proxySelector;
        private long chunkThreshold = 8L << 20;
        private long chunkSize = 8L << 20;
        private CaCertificates caCertificates = CaCertificates.none();

        private Builder() {}

        public Builder insecureRegistries(List<String> v) { insecureRegistries = List.copyOf(v); return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder backoffBase(Duration v) { backoffBase = v; return this; }
        public Builder maxRetryAfter(Duration v) { maxRetryAfter = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder credentials(CredentialStore v) { credentials = v; return this; }
        /**
         * A proxy selector; {@code null} for the JDK's default (system properties, usually direct). Without this
         * call, {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY} of the process environment.
         */
        public Builder proxySelector(ProxySelector v) { proxySelector = Optional.ofNullable(v); return this; }
        public Builder chunkThreshold(long v) { chunkThreshold = v; return this; }
        public Builder chunkSize(long v) { chunkSize = v; return this; }
        /** CA certificates trusted in addition to the JDK's default anchors. */
        public Builder caCertificates(CaCertificates v) { caCertificates = v; return this; }

        public RegistryOptions build() {
            CredentialStore creds = credentials != null ? credentials : CredentialStore.fromEnvironment();
            Optional<ProxySelector> proxy = proxySelector;
            if (proxy == null) {
                proxy = EnvironmentProxySelector.fromEnvironment(System.getenv());
            }
            return new RegistryOptions(insecureRegistries, connectTimeout, requestTimeout, maxRetries, backoffBase,
                    maxRetryAfter, userAgent, creds, proxy, chunkThreshold, chunkSize, caCertificates);
        }
    }
}
