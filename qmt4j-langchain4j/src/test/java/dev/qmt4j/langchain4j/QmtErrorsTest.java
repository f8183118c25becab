package dev.qmt4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.wasm.PluginTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The error table of docs/langchain4j.md for the kinds the test plugins cannot produce on demand
 * (timeouts, sandbox refusals, unsupported operations); the others are exercised end to end in
 * QmtChatModelTest.
 */
class QmtErrorsTest {
    private static RuntimeException map(ProviderException e) {
        RuntimeException mapped = QmtErrors.toLangChain4j(e);
        assertSame(e, mapped.getCause(), "the qmt4j error is the cause");
        return mapped;
    }

    @Test
    void eachKindHasItsLangChain4jType() {
        assertInstanceOf(AuthenticationException.class, map(new ProviderException(ProviderErrorKind.AUTHENTICATION, "no")));
        assertInstanceOf(RateLimitException.class, map(new ProviderException(ProviderErrorKind.RATE_LIMITED, "slow down")));
        assertInstanceOf(InvalidRequestException.class, map(new ProviderException(ProviderErrorKind.CONTEXT_WINDOW_EXCEEDED, "long")));
        assertInstanceOf(InternalServerException.class, map(new ProviderException(ProviderErrorKind.SERVER_OVERLOADED, "busy")));
        assertInstanceOf(InternalServerException.class,
                map(new ProviderException(ProviderErrorKind.PROVIDER_ERROR, "boom", null, 502, null, null)));
        assertInstanceOf(NonRetriableException.class,
                map(new ProviderException(ProviderErrorKind.PROVIDER_ERROR, "gone", null, 404, null, null)));
        assertInstanceOf(UnsupportedFeatureException.class, map(new ProviderException(ProviderErrorKind.UNSUPPORTED, "no embed")));
        assertInstanceOf(RetriableException.class, map(new ProviderException(ProviderErrorKind.NETWORK, "connection refused")));
        RuntimeException sandbox = map(new ProviderException(ProviderErrorKind.SANDBOX_DENIED, "host not allowed"));
        assertEquals(NonRetriableException.class, sandbox.getClass());
    }

    @Test
    void timeoutsAreRecognisedByCauseOrMessage() {
        PluginTimeoutException guest = new PluginTimeoutException("chat", Duration.ofSeconds(1), "took too long", null);
        assertInstanceOf(TimeoutException.class,
                map(new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED, "plugin chat timed out", guest)));
        assertInstanceOf(TimeoutException.class,
                map(new ProviderException(ProviderErrorKind.NETWORK, "request to api.example timed out")));
        assertInstanceOf(TimeoutException.class, map(new ProviderException(ProviderErrorKind.NETWORK, "x",
                new java.net.http.HttpTimeoutException("request timed out"))));
        assertEquals(NonRetriableException.class,
                map(new ProviderException(ProviderErrorKind.LIMIT_EXCEEDED, "response too large")).getClass());
    }

    @Test
    void otherQmt4jErrorsAreNonRetriableWithTheirCause() {
        Qmt4jException load = new Qmt4jException(ErrorKind.NOT_FOUND, "provider 'x' not found", null, null);
        RuntimeException mapped = QmtErrors.toLangChain4j(load);
        assertEquals(NonRetriableException.class, mapped.getClass());
        assertSame(load, mapped.getCause());
    }
}
