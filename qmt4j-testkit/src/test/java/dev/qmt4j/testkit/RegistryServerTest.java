package dev.qmt4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegistryServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openRegistryAnswersAndSurvivesRestart() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.NONE)) {
            assertEquals(200, get(registry.url() + "/v2/", null).statusCode());
            registry.stop();
            assertFalse(registry.isRunning());
            assertThrows(IOException.class, () -> get(registry.url() + "/v2/", null));
            registry.start();
            assertEquals(200, get(registry.url() + "/v2/", null).statusCode());
        }
    }

    @Test
    void basicRegistryRequiresThePassword() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.BASIC)) {
            assertEquals(401, get(registry.url() + "/v2/", null).statusCode());
            assertEquals(401, get(registry.url() + "/v2/", basic(registry.username(), "wrong")).statusCode());
            assertEquals(200, get(registry.url() + "/v2/", basic(registry.username(), registry.password())).statusCode());
        }
    }

    @Test
    void tokenRegistryAcceptsTokensFromItsTokenServer() throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryServer.Auth.TOKEN)) {
            HttpResponse<String> challenge = get(registry.url() + "/v2/", null);
            assertEquals(401, challenge.statusCode());
            String header = challenge.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(header.startsWith("Bearer realm=\"" + registry.tokenServer().realm() + "\""), header);

            HttpResponse<String> tokenResponse = get(registry.tokenServer().realm() + "?service="
                    + TokenServer.SERVICE + "&scope=repository:a/b:pull,push", basic(registry.username(), registry.password()));
            assertEquals(200, tokenResponse.statusCode());
            Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(tokenResponse.body());
            assertTrue(m.find());
            assertEquals(200, get(registry.url() + "/v2/", "Bearer " + m.group(1)).statusCode());
            // 404 NAME_UNKNOWN, not 401: the token's access claim got us past auth to the (empty) repository.
            assertEquals(404, get(registry.url() + "/v2/a/b/tags/list", "Bearer " + m.group(1)).statusCode());
            assertEquals(401, get(registry.tokenServer().realm() + "?service=x", basic("qmt4j", "nope")).statusCode());
            assertEquals(2, registry.tokenServer().requestCount());
        }
    }
}
