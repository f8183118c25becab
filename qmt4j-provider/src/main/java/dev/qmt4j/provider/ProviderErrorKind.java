package dev.qmt4j.provider;

import dev.qmt4j.ErrorKind;

/**
 * Why a provider call failed. Mapped from QueryMT's structured plugin errors
 * ({@code {"payload": LLMErrorPayload}} with return code 1), from HTTP statuses, and from qmt4j's
 * own checks (sandbox, limits).
 */
public enum ProviderErrorKind {
    /** Credentials missing or rejected (HTTP 401/403, payload {@code auth_error}, kind {@code authentication}). */
    AUTHENTICATION(ErrorKind.AUTH, false),
    /** Too many requests (HTTP 429, payload {@code rate_limited}, kind {@code rate_limited}); see {@link ProviderException#retryAfterSeconds()}. */
    RATE_LIMITED(ErrorKind.PLUGIN, true),
    /** Quota or billing limit reached (kind {@code quota_exceeded}). */
    QUOTA_EXCEEDED(ErrorKind.PLUGIN, false),
    /** The prompt is larger than the model's context window (kind {@code context_window_exceeded}). */
    CONTEXT_WINDOW_EXCEEDED(ErrorKind.PLUGIN, false),
    /** The provider is overloaded (kind {@code server_overloaded}). */
    SERVER_OVERLOADED(ErrorKind.PLUGIN, true),
    /** The provider configuration was rejected by the plugin's {@code from_config}, or is malformed. */
    INVALID_CONFIG(ErrorKind.CONFIG, false),
    /** The request was rejected as invalid (HTTP 400/422, payload {@code invalid_request}, {@code tool_config_error}). */
    INVALID_REQUEST(ErrorKind.PLUGIN, false),
    /** The provider answered with an error not covered above (HTTP 5xx and others, payload {@code provider_error}, {@code http_status}). */
    PROVIDER_ERROR(ErrorKind.PLUGIN, false),
    /** The provider's answer could not be understood (payload {@code response_format_error}, {@code json_error}). */
    RESPONSE_FORMAT(ErrorKind.PLUGIN, false),
    /** The connection failed or timed out (payload {@code transport}, {@code http_error}, {@code io_error}). */
    NETWORK(ErrorKind.NETWORK, true),
    /** The call was cancelled (HTTP 499 from the host, payload {@code cancelled}). */
    CANCELLED(ErrorKind.PLUGIN, false),
    /** The plugin does not implement this operation (missing export, payload {@code not_implemented}). */
    UNSUPPORTED(ErrorKind.PLUGIN, false),
    /** The sandbox refused a request: the host is not allowed by the {@link NetworkPolicy} (also at a redirect hop). */
    SANDBOX_DENIED(ErrorKind.SANDBOX, false),
    /** A resource limit was hit: response size, too many redirects, guest timeout or memory. */
    LIMIT_EXCEEDED(ErrorKind.SANDBOX, false),
    /** The plugin itself failed: a trap, an unstructured error message, malformed output (payload {@code plugin_error}, {@code generic_error}). */
    PLUGIN_ERROR(ErrorKind.PLUGIN, false);

    private final ErrorKind errorKind;
    private final boolean retryable;

    ProviderErrorKind(ErrorKind errorKind, boolean retryable) {
        this.errorKind = errorKind;
        this.retryable = retryable;
    }

    /** The general qmt4j error kind (decides the CLI exit code). */
    public ErrorKind errorKind() {
        return errorKind;
    }

    /** Whether retrying later may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
