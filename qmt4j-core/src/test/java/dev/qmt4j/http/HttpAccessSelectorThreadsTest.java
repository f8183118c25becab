package dev.qmt4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every client {@link HttpAccess} builds has its selector thread stopped at exit (qmt4j-core's {@link SelectorThreads}). */
class HttpAccessSelectorThreadsTest {

    @Test
    void everyClientBuiltThroughNetworkSettingsIsStoppedToo() throws Exception {
        // TUF and https:// plugin downloads build their clients this way, not through RegistryClient.
        Set<Thread> before = selectors();
        HttpAccess access = NetworkSettings.jdkDefaults().client(HttpClient.newBuilder());
        assertEquals(before, selectors(), "no client is built before its first request");
        HttpClient tls = access.client();
        access.clientFor(java.net.URI.create("http://127.0.0.1/"));
        Set<Thread> started = new HashSet<>(selectors());
        started.removeAll(before);
        assertEquals(2, started.size(), "a selector thread for each scheme's client");

        SelectorThreads.stopAll();

        for (Thread selector : started) {
            selector.join(5_000);
            assertFalse(selector.isAlive(), "its selector thread ended");
        }
        assertTrue(access.client() == tls, "built once");
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
