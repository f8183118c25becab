package dev.qmt4j.http;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.Optional;

/**
 * What every qmt4j HTTP client shares, whatever it talks to: the CA certificates trusted in addition to the
 * JDK's, and the proxies.
 *
 * @param caCertificates extra CA certificates ({@code [oci] ca_certificates}, {@code QMT4J_CA_CERTIFICATES})
 * @param proxies        the proxy selector; empty leaves the JDK's default (system properties)
 */
public record NetworkSettings(CaCertificates caCertificates, Optional<ProxySelector> proxies) {

    public NetworkSettings {
        Objects.requireNonNull(caCertificates, "caCertificates");
        Objects.requireNonNull(proxies, "proxies");
    }

    /** The JDK's trust anchors and default proxy selector only. */
    public static NetworkSettings jdkDefaults() {
        return new NetworkSettings(CaCertificates.none(), Optional.empty());
    }

    /** Builds the client {@code builder} describes with these settings. */
    public HttpAccess client(HttpClient.Builder builder) {
        return HttpAccess.build(builder, caCertificates, proxies);
    }
}
