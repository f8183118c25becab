package dev.qmt4j.http;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Stops the selector threads of our {@link HttpClient}s when the JVM exits, so that exiting does
 * not wait for them.
 *
 * <p>Why: HotSpot's exit (both {@code System.exit} and the end of {@code main}) waits, in 10 ms
 * steps for up to 300 ms, until no thread is inside native code. The JDK 17 HTTP client keeps one
 * "SelectorManager" thread per client blocked in {@code epoll_wait} (native) for the client's
 * whole life and has no {@code close()} before JDK 21, so every process that used a registry
 * lingered after its last line of output (measured in docs/benchmarks.md). Interrupting that thread makes its select return
 * and its loop end, closing the client's idle connections.
 *
 * <p>Only threads that appeared while one of our clients was being built are touched, never
 * another HTTP client of the embedding application (whose shutdown hooks may still use it).
 * Every {@link HttpClient} qmt4j builds goes through {@link #build}: registries, TUF and
 * {@code https://} downloads ({@link HttpAccess}), provider plugins' HTTP
 * (qmt4j-provider-wasm's {@code SafeHttp}) and Extism's {@code http_request} (qmt4j-wasm).
 */
public final class SelectorThreads {
    /** The selector threads of clients built by {@link #build}; weak, so a collected client's thread is forgotten. */
    private static final Set<Thread> OURS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static boolean hookInstalled;

    private SelectorThreads() {}

    /**
     * Builds the client and remembers the selector thread it started, to be stopped at JVM exit.
     *
     * @param builder the configured builder
     * @return {@code builder.build()}
     */
    public static HttpClient build(HttpClient.Builder builder) {
        Set<Thread> before = live();
        HttpClient client = builder.build();
        List<Thread> started = new ArrayList<>();
        for (Thread t : live()) {
            if (!before.contains(t) && t.getName().endsWith("-SelectorManager")) {
                started.add(t);
            }
        }
        if (!started.isEmpty()) {
            OURS.addAll(started);
            installHook();
        }
        return client;
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        try {
            Thread hook = new Thread(SelectorThreads::stopAll, "qmt4j-http-exit");
            hook.setDaemon(true);
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException | SecurityException e) {
            // Already shutting down, or not allowed: exiting merely takes up to 0.3 s longer.
        }
    }

    /**
     * Interrupts our selector threads and waits briefly (at most 0.2 s) for them to leave native code. Run
     * by the exit hook; the clients are unusable afterwards.
     */
    public static void stopAll() {
        List<Thread> threads;
        synchronized (OURS) {
            threads = new ArrayList<>(OURS);
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + 200_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The live threads of the current thread's group (where a client built here starts its selector). */
    private static Set<Thread> live() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] all = new Thread[group.activeCount() + 8];
        int n = group.enumerate(all, true);
        Set<Thread> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(all[i]);
        }
        return out;
    }
}
