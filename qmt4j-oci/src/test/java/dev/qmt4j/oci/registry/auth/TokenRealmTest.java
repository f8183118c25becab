package dev.qmt4j.oci.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.http.CaCertificates;
import dev.qmt4j.http.HttpAccess;
import dev.qmt4j.oci.registry.RegistryOptions;
import dev.qmt4j.http.proxy.EnvironmentProxySelector;
import dev.qmt4j.testkit.ForwardingProxy;
import dev.qmt4j.testkit.TestCertificates;
import dev.qmt4j.testkit.TokenServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where a registry's {@code WWW-Authenticate} realm may send our credentials: a real {@link TokenServer} reached
 * under the non-loopback name {@value TestCertificates#PROXIED_NAME}, which only a real {@link ForwardingProxy}
 * resolves, stands for a token service on another host. Credentials go to a realm over HTTPS, and over plain HTTP
 * only on loopback or a host listed in {@code insecure_registries}; anonymous token requests go anywhere.
 */
class TokenRealmTest {
    private static final String REGISTRY = "registry.example:5000";
    private static final List<String> SCOPES = List.of("repository:team/plugin:pull");

    private static Authenticator authenticator(ForwardingProxy proxy, CredentialStore creds, List<String> insecure) {
        HttpAccess http = HttpAccess.build(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER),
                CaCertificates.load(List.of(TestCertificates.shared().caCertificate())),
                Optional.of(new EnvironmentProxySelector(Map.of("HTTP_PROXY", proxy.url(), "HTTPS_PROXY", proxy.url()))));
        return new Authenticator(http, creds, Duration.ofSeconds(10), "qmt4j-test",
                hostPort -> RegistryOptions.plainHttpAllowed(hostPort, insecure));
    }

    private static List<Challenge> bearer(String realm) {
        return List.of(new Challenge("Bearer", Map.of("realm", realm, "service", TokenServer.SERVICE)));
    }

    private static String elsewhere(TokenServer tokens) {
        return tokens.realm().replace("127.0.0.1", TestCertificates.PROXIED_NAME);
    }

    @Test
    void credentialsAreNotSentToAPlainHttpRealmOnAnotherHost() {
        try (TokenServer tokens = new TokenServer("alice", "s3cret", false);
                ForwardingProxy proxy = ForwardingProxy.start().route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            String realm = elsewhere(tokens);
            Authenticator auth = authenticator(proxy, CredentialStore.of(Map.of(REGISTRY, new Credentials.Basic("alice", "s3cret"))), List.of());
            Qmt4jException e = assertThrows(Qmt4jException.class, () -> auth.authorize(REGISTRY, bearer(realm), SCOPES));
            assertEquals(ErrorKind.AUTH, e.kind());
            assertTrue(e.getMessage().contains("refused to send the credentials for registry " + REGISTRY + " to its token realm " + realm),
                    e.getMessage());
            assertTrue(e.getMessage().contains("plain HTTP"), e.getMessage());
            assertTrue(e.hint().contains("insecure_registries"), e.hint());
            assertFalse((e.getMessage() + e.hint()).contains("s3cret"));
            assertEquals(0, tokens.requestCount(), "nothing reached the token service");
            assertEquals(List.of(), proxy.forwarded());

            // An identity token is a credential too.
            Authenticator identity = authenticator(proxy,
                    CredentialStore.of(Map.of(REGISTRY, new Credentials.IdentityToken(tokens.identityToken()))), List.of());
            assertThrows(Qmt4jException.class, () -> identity.authorize(REGISTRY, bearer(realm), SCOPES));
            assertEquals(0, tokens.requestCount());
        }
    }

    @Test
    void aRealmWithAnotherSchemeIsRefusedWithCredentials() {
        try (ForwardingProxy proxy = ForwardingProxy.start()) {
            Authenticator auth = authenticator(proxy, CredentialStore.of(Map.of(REGISTRY, new Credentials.Basic("alice", "pw"))), List.of());
            Qmt4jException e = assertThrows(Qmt4jException.class,
                    () -> auth.authorize(REGISTRY, bearer("ftp://127.0.0.1/token"), SCOPES));
            assertEquals(ErrorKind.AUTH, e.kind());
            assertTrue(e.getMessage().contains("ftp://127.0.0.1/token"), e.getMessage());
        }
    }

    @Test
    void plainHttpIsAllowedOnLoopbackAndListedInsecureHostsAndHttpsAnywhere() {
        try (TokenServer plain = new TokenServer("alice", "s3cret", false);
                TokenServer tls = new TokenServer("alice", "s3cret", false, true);
                ForwardingProxy proxy = ForwardingProxy.start().route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            CredentialStore creds = CredentialStore.of(Map.of(REGISTRY, new Credentials.Basic("alice", "s3cret")));
            // Loopback over plain HTTP.
            assertTrue(authenticator(proxy, creds, List.of()).authorize(REGISTRY, bearer(plain.realm()), SCOPES).startsWith("Bearer "));
            assertEquals(1, plain.requestCount());
            // Another host over plain HTTP, listed in insecure_registries.
            String realm = elsewhere(plain);
            String hostPort = realm.substring("http://".length(), realm.indexOf("/token"));
            assertTrue(authenticator(proxy, creds, List.of(hostPort)).authorize(REGISTRY, bearer(realm), SCOPES).startsWith("Bearer "));
            assertEquals(2, plain.requestCount());
            assertEquals(List.of(realm + "?service=" + TokenServer.SERVICE + "&scope=repository%3Ateam%2Fplugin%3Apull"), proxy.forwarded());
            // Another host over HTTPS.
            assertTrue(authenticator(proxy, creds, List.of()).authorize(REGISTRY, bearer(elsewhere(tls)), SCOPES).startsWith("Bearer "));
            assertEquals(1, tls.requestCount());
        }
    }

    @Test
    void anonymousTokenRequestsMayUseAPlainHttpRealmAnywhere() {
        try (TokenServer tokens = new TokenServer("alice", "s3cret", true);
                ForwardingProxy proxy = ForwardingProxy.start().route(TestCertificates.PROXIED_NAME, "127.0.0.1")) {
            assertTrue(authenticator(proxy, CredentialStore.anonymous(), List.of())
                    .authorize(REGISTRY, bearer(elsewhere(tokens)), SCOPES).startsWith("Bearer "));
            assertEquals(1, tokens.requestCount());
        }
    }
}
