package dev.qmt4j.http.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy: where it listens and, when its URL carries them, the user and password it wants.
 * {@link #toString()} and {@link #display()} never show the password.
 *
 * @param host     the proxy's host name or IP literal (IPv6 in brackets)
 * @param port     its port
 * @param user     the user name from {@code http://USER:PASSWORD@host:port}, percent-decoded
 * @param password the password, percent-decoded; present only with a user
 */
public record ProxyEndpoint(String host, int port, Optional<String> user, Optional<String> password) {

    public ProxyEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
    }

    /** Whether the proxy gets a user and password. */
    public boolean hasCredentials() {
        return user.isPresent();
    }

    /** The {@code Proxy-Authorization} value (Basic), when there are credentials. */
    public Optional<String> basicAuthorization() {
        return user.map(u -> "Basic " + Base64.getEncoder()
                .encodeToString((u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code http://user@host:port} or {@code http://host:port}, for messages: never the password. */
    public String display() {
        return "http://" + user.map(u -> u + "@").orElse("") + host + ":" + port;
    }

    @Override
    public String toString() {
        return "ProxyEndpoint[" + display() + (hasCredentials() ? ", password hidden" : "") + "]";
    }
}
