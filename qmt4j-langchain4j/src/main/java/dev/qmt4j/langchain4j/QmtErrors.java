package dev.qmt4j.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.function.Supplier;

/**
 * qmt4j errors as LangChain4j's exception types (the table in docs/langchain4j.md). The qmt4j
 * exception is always the cause, so {@link ProviderException#providerKind()}, the retry hint and
 * the plugin's error payload stay reachable; the message is qmt4j's.
 */
public final class QmtErrors {
    private QmtErrors() {
    }

    /**
     * The LangChain4j exception for {@code e}: {@link AuthenticationException},
     * {@link RateLimitException}, {@link InvalidRequestException}, {@link TimeoutException},
     * {@link InternalServerException}, {@link UnsupportedFeatureException} where one fits, else
     * {@link RetriableException} or {@link NonRetriableException} by whether the error is
     * retryable. A LangChain4j exception is returned as it is.
     */
    public static RuntimeException toLangChain4j(Throwable e) {
        if (e instanceof LangChain4jException l) return l;
        if (e instanceof ProviderException p) return fromProvider(p);
        if (e instanceof Qmt4jException q) return new NonRetriableException(q.getMessage(), q);
        if (e instanceof RuntimeException r) return r;
        return new LangChain4jException(e.getMessage(), e);
    }

    private static RuntimeException fromProvider(ProviderException p) {
        String msg = p.getMessage();
        ProviderErrorKind kind = p.providerKind();
        if (isTimeout(p)) return new TimeoutException(msg, p);
        return switch (kind) {
            case AUTHENTICATION -> new AuthenticationException(msg, p);
            case RATE_LIMITED -> new RateLimitException(msg, p);
            case INVALID_REQUEST, INVALID_CONFIG, CONTEXT_WINDOW_EXCEEDED -> new InvalidRequestException(msg, p);
            case SERVER_OVERLOADED -> new InternalServerException(msg, p);
            case PROVIDER_ERROR -> p.httpStatus().isPresent() && p.httpStatus().getAsInt() >= 500
                    ? new InternalServerException(msg, p)
                    : new NonRetriableException(msg, p);
            case UNSUPPORTED -> {
                // UnsupportedFeatureException has no (message, cause) constructor; its cause is still unset.
                UnsupportedFeatureException u = new UnsupportedFeatureException(msg);
                u.initCause(p);
                yield u;
            }
            default -> kind.retryable() ? new RetriableException(msg, p) : new NonRetriableException(msg, p);
        };
    }

    /**
     * Whether the failure was a timeout. qmt4j has no timeout kind of its own: a guest that ran
     * too long is {@code LIMIT_EXCEEDED} caused by {@code PluginTimeoutException}, an HTTP exchange
     * that timed out is {@code NETWORK} (or, for plugins that parse the host's answer, an error
     * carrying the host's "timed out" message), so the cause chain and the message decide.
     */
    static boolean isTimeout(ProviderException p) {
        for (Throwable t = p; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof PluginTimeoutException) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        ProviderErrorKind k = p.providerKind();
        String m = p.getMessage();
        return (k == ProviderErrorKind.NETWORK || k == ProviderErrorKind.PROVIDER_ERROR || k == ProviderErrorKind.LIMIT_EXCEEDED)
                && m != null && m.contains("timed out");
    }

    /** Runs {@code call}, mapping what it throws with {@link #toLangChain4j(Throwable)}. */
    static <T> T mapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw toLangChain4j(e);
        }
    }
}
