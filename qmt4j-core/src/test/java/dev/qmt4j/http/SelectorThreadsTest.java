package dev.qmt4j.http;

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

        HttpClient client = SelectorThreads.build(HttpClient.newBuilder());
        Set<Thread> ours = new HashSet<>(selectors());
        ours.removeAll(before);
        ours.removeAll(foreignThreads);
        assertEquals(1, ours.size(), "our client's selector thread");
        Thread selector = ours.iterator().next();

        SelectorThreads.stopAll();

        selector.join(5_000);
        assertFalse(selector.isAlive(), "our selector thread ended");
        assertTrue(foreignThreads.iterator().next().isAlive(), "the application's own client is untouched");
        assertTrue(foreign.version() != null && client.version() != null); // keep both clients reachable until here
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
