package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.qmt4j.http.SelectorThreads;
import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every Wasm provider has a {@link SafeHttp}: it builds no client until its first request, and the client
 * it builds is one whose selector thread the exit hook stops (else every {@code qmt4j providers} waited 0.3 s
 * at exit).
 */
class SafeHttpExitTest {

    @Test
    void noClientUntilTheFirstRequestAndItsSelectorIsStoppedAtExit() throws Exception {
        Set<Thread> before = selectors();
        SafeHttp http = new SafeHttp(HttpLimits.DEFAULT);
        assertEquals(before, selectors(), "no HTTP client (no selector thread) before the first request");

        try (OpenAiTestServer server = OpenAiTestServer.start()) {
            NetworkPolicy only127 = NetworkPolicy.builder().allowedHost("127.0.0.1").build();
            HttpWire.Response r = http.send(new HttpWire.Request("GET", server.baseUrl() + "models",
                    new HttpWire.Headers().add("Authorization", "Bearer " + server.apiKey()), "HTTP/1.1", new byte[0]), only127, null);
            assertEquals(200, r.status());
        }
        Set<Thread> started = new HashSet<>(selectors());
        started.removeAll(before);
        assertEquals(1, started.size(), "one client, built on the first request");

        SelectorThreads.stopAll(); // what the JVM exit hook runs

        Thread selector = started.iterator().next();
        selector.join(5_000);
        assertFalse(selector.isAlive(), "the exit hook stopped SafeHttp's selector thread");
    }

    private static Set<Thread> selectors() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : List.copyOf(Thread.getAllStackTraces().keySet())) {
            if (t.getName().endsWith("-SelectorManager") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }
}
