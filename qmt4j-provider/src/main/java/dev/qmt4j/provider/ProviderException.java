package dev.qmt4j.provider;

import dev.qmt4j.Qmt4jException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * A provider call failed. {@link #providerKind()} says why; {@link #payload()} keeps the plugin's
 * structured error ({@code LLMErrorPayload} JSON) when there was one.
 */
public class ProviderException extends Qmt4jException {
    private static final long serialVersionUID = 1L;

    private final ProviderErrorKind providerKind;
    private final Long retryAfterSeconds;
    private final Integer httpStatus;
    private final transient JsonNode payload;

    /** An error with only a kind and a message. */
    public ProviderException(ProviderErrorKind kind, String message) {
        this(kind, message, null, null, null, null);
    }

    /** An error caused by another exception. */
    public ProviderException(ProviderErrorKind kind, String message, Throwable cause) {
        this(kind, message, null, null, null, cause);
    }

    /**
     * @param retryAfterSeconds the provider's retry hint, or null
     * @param httpStatus the HTTP status behind the error, or null
     * @param payload the plugin's {@code LLMErrorPayload} JSON, or null
     */
    public ProviderException(ProviderErrorKind kind, String message, Long retryAfterSeconds, Integer httpStatus,
            JsonNode payload, Throwable cause) {
        this(kind, message, hintFor(kind), retryAfterSeconds, httpStatus, payload, cause);
    }

    private ProviderException(ProviderErrorKind kind, String message, String hint, Long retryAfterSeconds, Integer httpStatus,
            JsonNode payload, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind").errorKind(), message, hint, cause);
        this.providerKind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
        this.httpStatus = httpStatus;
        this.payload = payload;
    }

    /** An error whose hint is {@code hint} instead of its kind's usual one (when the message calls for another fix). */
    public static ProviderException withHint(ProviderErrorKind kind, String message, String hint) {
        return new ProviderException(kind, message, hint, null, null, null, null);
    }

    private static String hintFor(ProviderErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "check the provider's API key";
            case RATE_LIMITED -> "wait and retry";
            case SANDBOX_DENIED -> "set base_url in [providers.config], or add the host to allowed_hosts in [providers.sandbox], if you trust it";
            case UNSUPPORTED -> "this provider plugin does not offer that operation";
            case INVALID_CONFIG -> "check the provider config against the plugin's config_schema";
            default -> null;
        };
    }

    /** Why the call failed. */
    public ProviderErrorKind providerKind() {
        return providerKind;
    }

    /** The provider's "retry after" hint in seconds, if it gave one. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /** The HTTP status behind the error, if any. */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The plugin's structured {@code LLMErrorPayload} JSON, or null. */
    public JsonNode payload() {
        return payload;
    }

    /** A copy of this error whose message starts with {@code context} (e.g. {@code "provider 'openai': "}), the rest unchanged. */
    public ProviderException withContext(String context) {
        return new ProviderException(providerKind, context + getMessage(), hint(), retryAfterSeconds, httpStatus, payload, this);
    }

    /** A copy of this error with another kind (same message, hint for the new kind, same details). */
    public ProviderException withKind(ProviderErrorKind kind) {
        return new ProviderException(kind, getMessage(), retryAfterSeconds, httpStatus, payload, getCause() == null ? this : getCause());
    }
}
