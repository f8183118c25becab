package dev.qmt4j.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exit hook stops the selector threads of our HTTP clients, and only those. */
class SelectorThreadsTest {

    @Test
    void stopsTheSelectorOfOurClientButNotAForeignOne() throws Exception {
        Set<Thread> before = selectors();
        HttpClient foreign = HttpClient.newHttpClient();
        Set<Thread> foreignThreads = new HashSet<>(selectors());
        foreignThreads.removeAll(before);
        assertEquals(1, foreignThreads.size(), "a JDK HTTP client starts one selector thread");

        // Its plain-HTTP client is built by the first http:// request; nothing needs to listen for this one.
        NetworkSettings.jdkDefaults().client(HttpClient.newBuilder()).clientFor(java.net.URI.create("http://127.0.0.1:9/"));
        Set<Thread> ours = new HashSet<>(selectors());
        ours.removeAll(before);
        ours.removeAll(foreignThreads);
        assertEquals(1, ours.size(), "our client's selector thread");
        Thread selector = ours.iterator().next();

        SelectorThreads.stopAll();

        selector.join(5_000);
        assertFalse(selector.isAlive(), "our selector thread ended");
        assertTrue(foreignThreads.iterator().next().isAlive(), "the application's own client is untouched");
        assertTrue(foreign.version() != null); // keep the foreign client reachable until here
    }

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
