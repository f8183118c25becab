package dev.qmt4j.oci.registry;

import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.oci.registry.auth.Authenticator;
import dev.qmt4j.oci.registry.auth.Challenge;
import dev.qmt4j.oci.registry.auth.ChallengeParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange with a registry, with the parts every call needs: auth challenges answered
 * once, redirects followed (without the registry's credentials when they leave its origin), and
 * retries with backoff around whole operations.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    static final int MAX_REDIRECTS = 5;

    /** A request to a registry; {@code body} must be re-subscribable (retries and redirects resend it). */
    record Call(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, String registry,
            List<String> scopes) {
        Call {
            headers = Map.copyOf(headers);
            scopes = List.copyOf(scopes);
        }

        static Call get(URI uri, String registry, List<String> scopes, Map<String, String> headers) {
            return new Call("GET", uri, headers, null, registry, scopes);
        }
    }

    /** An operation that may be retried from the start. */
    @FunctionalInterface
    interface Operation<T> {
        T run() throws IOException;
    }

    private final HttpAccess http;
    private final RegistryOptions options;
    private final Authenticator auth;

    Transport(HttpAccess http, RegistryOptions options, Authenticator auth) {
        this.http = http;
        this.options = options;
        this.auth = auth;
    }

    RegistryOptions options() {
        return options;
    }

    /**
     * Sends {@code call}; the caller must consume or close the returned body. Throws
     * {@link RetryableStatus} for 429 and 502-504 so {@link #retrying} can back off.
     */
    HttpResponse<InputStream> exchange(Call call) throws IOException {
        return exchange(call, HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * As {@link #exchange(Call)}, with the body handler to use for every response. It must give an
     * {@code InputStream} for any status but 200 (challenges, redirects and errors read those).
     */
    HttpResponse<InputStream> exchange(Call call, HttpResponse.BodyHandler<InputStream> handler) throws IOException {
        URI uri = call.uri();
        String method = call.method();
        HttpRequest.BodyPublisher body = call.body();
        boolean sameOrigin = true;
        Optional<String> authorization = auth.cached(call.registry(), call.scopes());
        boolean challenged = false;
        int redirects = 0;
        while (true) {
            // No HttpRequest.timeout: it would bound the whole body on newer JDKs (see HttpAccess.send).
            HttpRequest.Builder b = http.newRequest(uri)
                    .header("User-Agent", options.userAgent())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            call.headers().forEach(b::header);
            if (sameOrigin) {
                authorization.ifPresent(a -> b.header("Authorization", a));
            }
            HttpResponse<InputStream> response = send(b.build(), handler);
            int status = response.statusCode();

            if (status == 401 && sameOrigin && !challenged) {
                List<Challenge> challenges = ChallengeParser.parseAll(response.headers().allValues("WWW-Authenticate"));
                if (!challenges.isEmpty()) {
                    discard(response);
                    if (authorization.isPresent()) {
                        auth.invalidate(call.registry(), call.scopes());
                    }
                    authorization = Optional.of(auth.authorize(call.registry(), challenges, call.scopes()));
                    challenged = true;
                    continue;
                }
            }
            if (isRedirect(status)) {
                Optional<String> location = response.headers().firstValue("Location");
                discard(response);
                if (location.isEmpty()) {
                    throw new Qmt4jException(ErrorKind.INTEGRITY, "registry " + call.registry() + " redirected "
                            + call.method() + " " + call.uri().getPath() + " without a Location", null);
                }
                if (++redirects > MAX_REDIRECTS) {
                    throw new Qmt4jException(ErrorKind.NETWORK, "registry " + call.registry() + " redirected more than "
                            + MAX_REDIRECTS + " times for " + call.uri().getPath(), null);
                }
                URI next = uri.resolve(location.get());
                // Credentials are for the registry only; blob storage (S3, CDN) gets signed URLs instead.
                sameOrigin = sameOrigin && sameOrigin(call.uri(), next);
                LOG.debug("redirect {} -> {} (credentials {})", uri, next, sameOrigin ? "kept" : "dropped");
                if (status == 303) {
                    method = "GET";
                    body = null;
                }
                uri = next;
                continue;
            }
            if ((status == 401 || status == 403) && auth.missingHelper(call.registry()).isPresent()) {
                // We went anonymous because the credential helper is missing: say so rather than "denied".
                discard(response);
                throw auth.refusedAnonymous(call.registry(), "registry " + call.registry() + " refused anonymous access to "
                        + call.uri().getPath() + " (HTTP " + status + ")");
            }
            if (status == 429 || status == 502 || status == 503 || status == 504) {
                Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").flatMap(Transport::parseRetryAfter);
                discard(response);
                throw new RetryableStatus(status, retryAfter, method + " " + uri.getPath());
            }
            return response;
        }
    }

    /** Runs {@code op}, retrying it from the start after dropped connections and retryable statuses. */
    <T> T retrying(String registry, Operation<T> op) {
        return retrying(registry, op, e -> RegistryErrors.fromIo(e, registry, options.maxRetries() + 1));
    }

    <T> T retrying(String registry, Operation<T> op, java.util.function.Function<IOException, Qmt4jException> giveUp) {
        return retrying(registry, op, giveUp, () -> 0L, Long.MAX_VALUE);
    }

    /**
     * As {@link #retrying(String, Operation, java.util.function.Function)}, but a failed attempt during
     * which {@code progress} grew by at least {@code productive} is not counted against
     * {@link RegistryOptions#maxRetries()}: a resumable download over a link that drops every few
     * minutes keeps going as long as each attempt brings that much more. The work is still bounded:
     * each uncounted attempt moves {@code progress} that much closer to its end.
     */
    <T> T retrying(String registry, Operation<T> op, java.util.function.Function<IOException, Qmt4jException> giveUp,
            LongSupplier progress, long productive) {
        IOException last = null;
        int counted = 0;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) {
                sleep(delay(Math.max(counted, 1), last));
            }
            long before = progress.getAsLong();
            try {
                return op.run();
            } catch (IOException e) {
                last = e;
                LOG.debug("attempt {} against {} failed: {}", attempt + 1, registry, e.toString());
                if (CaCertificates.isCertificateFailure(e)) {
                    break; // a rejected certificate stays rejected: retrying only delays the message
                }
                if (progress.getAsLong() - before < productive && ++counted > options.maxRetries()) {
                    break;
                }
            }
        }
        throw giveUp.apply(Objects.requireNonNull(last));
    }

    private Duration delay(int attempt, IOException last) {
        if (last instanceof RetryableStatus r && r.retryAfter.isPresent()) {
            Duration d = r.retryAfter.get();
            return d.compareTo(options.maxRetryAfter()) > 0 ? options.maxRetryAfter() : d;
        }
        long base = options.backoffBase().toMillis() << Math.min(attempt - 1, 16);
        // Full jitter around the exponential step keeps many clients from retrying in lockstep.
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(Math.min(jittered, options.maxRetryAfter().toMillis()));
    }

    private HttpResponse<InputStream> send(HttpRequest request, HttpResponse.BodyHandler<InputStream> handler) throws IOException {
        try {
            return http.send(request, handler, options.requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Qmt4jException(ErrorKind.NETWORK, "interrupted while talking to " + request.uri().getAuthority(), null, e);
        } catch (IllegalArgumentException e) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, "invalid request to " + request.uri() + ": " + e.getMessage(), null, e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Qmt4jException(ErrorKind.NETWORK, "interrupted while waiting to retry", null, e);
        }
    }

    static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.readNBytes(64 * 1024); // small bodies: reading them lets the connection be reused
        } catch (IOException ignored) {
            // the connection is dropped instead; nothing else to do
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
