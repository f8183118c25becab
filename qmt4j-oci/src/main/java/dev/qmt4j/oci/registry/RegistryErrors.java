package dev.qmt4j.oci.registry;

import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.registry.auth.Authenticator;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns unwanted registry responses and transport failures into {@link Qmt4jException}s people can act on. */
final class RegistryErrors {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RegistryErrors() {}

    /**
     * Maps a non-success response.
     *
     * @param registry   registry host for messages
     * @param repository repository for messages
     * @param what       what was asked for, e.g. {@code manifest 1.0} or {@code blob sha256:...}
     */
    static Qmt4jException fromResponse(HttpResponse<InputStream> response, String registry, String repository, String what) {
        int status = response.statusCode();
        String detail = describeEnvelope(readErrorBody(response));
        String suffix = detail.isEmpty() ? " (HTTP " + status + ")" : " (" + status + " " + detail + ")";
        return switch (status) {
            case 401, 403 -> new Qmt4jException(ErrorKind.AUTH, "registry " + registry + " refused credentials for repository "
                    + repository + suffix, Authenticator.loginHint(registry));
            case 404 -> new Qmt4jException(ErrorKind.NOT_FOUND, what + " not found in " + registry + "/" + repository + suffix,
                    "check the repository name and tag or digest");
            case 400, 413, 416 -> new Qmt4jException(ErrorKind.INTEGRITY, "registry " + registry + " rejected " + what
                    + " for repository " + repository + suffix, null);
            default -> new Qmt4jException(ErrorKind.NETWORK, "registry " + registry + " answered HTTP " + status + " for "
                    + what + " in repository " + repository + suffix, null);
        };
    }

    /** Maps the last failure after retries ran out. */
    static Qmt4jException fromIo(IOException e, String registry, int attempts) {
        String hint = "check that the registry is up and reachable (offline, cached plugins still load);"
                + " a plain-HTTP registry must be listed in [oci] insecure_registries; behind a proxy set HTTPS_PROXY/NO_PROXY";
        String tries = attempts > 1 ? " (" + attempts + " attempts)" : "";
        if (e instanceof RetryableStatus r) {
            return new Qmt4jException(ErrorKind.NETWORK, "registry " + registry + " kept answering HTTP " + r.status + tries,
                    "the registry is overloaded or rate-limiting; try again later", e);
        }
        if (CaCertificates.isUntrusted(e)) {
            return new Qmt4jException(ErrorKind.NETWORK, "cannot reach registry " + registry
                    + ": its TLS certificate is not signed by a trusted CA", CaCertificates.UNTRUSTED_HINT, e);
        }
        if (CaCertificates.isCertificateFailure(e)) {
            return new Qmt4jException(ErrorKind.NETWORK, "cannot reach registry " + registry + ": its TLS certificate was rejected ("
                    + innermost(e) + ")", "the certificate must be valid now and name the host " + Hosts.hostPart(registry), e);
        }
        String why;
        if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpConnectTimeoutException) {
            why = "connect timed out";
        } else if (e instanceof HttpTimeoutException) {
            why = "timed out waiting for a response";
        } else if (e instanceof SSLException) {
            why = "TLS failed: " + e.getMessage();
        } else if (e.getCause() instanceof UnresolvedAddressException) {
            why = "unknown host";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new Qmt4jException(ErrorKind.NETWORK, "cannot reach registry " + registry + ": " + why + tries, hint, e);
    }

    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String readErrorBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code CODE: message; CODE2: message} from the distribution error envelope, or empty. */
    static String describeEnvelope(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : errors) {
                String code = e.path("code").isString() ? e.path("code").stringValue() : "";
                String message = e.path("message").isString() ? e.path("message").stringValue() : "";
                parts.add(message.isEmpty() ? code : code + ": " + message);
            }
            return String.join("; ", parts);
        } catch (JacksonException e) {
            return "";
        }
    }
}
