package dev.qmt4j.provider.wasm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrorKind;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.internal.IpRanges;
import dev.qmt4j.testkit.openai.OpenAiTestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SafeHttpTest {
    OpenAiTestServer a;
    OpenAiTestServer b;
    final SafeHttp http = new SafeHttp(HttpLimits.DEFAULT);
    final NetworkPolicy only127 = NetworkPolicy.builder().allowedHost("127.0.0.1").build(); // an exact entry: any port

    @BeforeEach
    void start() {
        a = OpenAiTestServer.start();
        b = OpenAiTestServer.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    HttpWire.Request get(String url) {
        return new HttpWire.Request("GET", url, new HttpWire.Headers().add("Authorization", "Bearer " + a.apiKey()), "HTTP/1.1", new byte[0]);
    }

    @Test
    void sendsAndReadsWholeResponse() throws Exception {
        HttpWire.Response r = http.send(get(a.baseUrl() + "models"), only127, null);
        assertEquals(200, r.status());
        assertTrue(r.bodyText().contains(OpenAiTestServer.MODEL_A));
        assertEquals("application/json", r.headers().first("content-type"));
    }

    @Test
    void deniedHostIsNeverContacted() {
        NetworkPolicy other = NetworkPolicy.builder().configuredBaseUrl("http://api.example.com/").build();
        ProviderException e = assertThrows(ProviderException.class, () -> http.send(get(a.baseUrl() + "models"), other, null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(a.requests().isEmpty());
    }

    @Test
    void redirectToDisallowedHostIsDeniedBeforeConnecting() {
        assertRedirectToLocalhostDenied(only127, "localhost", "nothing may reach the second host");
    }

    /**
     * Has {@code a} redirect to {@code localhost} on {@code b}'s port and expects that hop refused under
     * {@code policy}, with {@code messagePart} in the error, before anything reached {@code b}.
     */
    private void assertRedirectToLocalhostDenied(NetworkPolicy policy, String messagePart, String whyNothingReachedB) {
        a.redirectTo("http://localhost:" + b.port());
        ProviderException e = assertThrows(ProviderException.class, () -> http.send(get(a.baseUrl() + "models"), policy, null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertEquals(1, a.requests().size());
        assertTrue(b.requests().isEmpty(), whyNothingReachedB);
    }

    @Test
    void allowedRedirectIsFollowedAndCredentialsDroppedAcrossOrigins() throws Exception {
        a.redirectTo("http://127.0.0.1:" + b.port());
        HttpWire.Response r = http.send(get(a.baseUrl() + "models"), only127, null);
        assertEquals(401, r.status(), "b never saw the key: it was dropped when the origin changed");
        assertEquals(1, b.requests().size());
        assertNull(b.requests().get(0).header("authorization"));
    }

    @Test
    void redirectLoopHitsTheLimit() {
        a.redirectTo(a.url());
        ProviderException e = assertThrows(ProviderException.class, () -> http.send(get(a.baseUrl() + "models"), only127, null));
        assertEquals(ProviderErrorKind.LIMIT_EXCEEDED, e.providerKind());
        assertEquals(HttpLimits.DEFAULT.maxRedirects() + 1, a.requests().size());
    }

    @Test
    void responseSizeCap() {
        SafeHttp small = new SafeHttp(HttpLimits.DEFAULT.withMaxResponseBytes(16));
        ProviderException e = assertThrows(ProviderException.class, () -> small.send(get(a.baseUrl() + "models"), only127, null));
        assertEquals(ProviderErrorKind.LIMIT_EXCEEDED, e.providerKind());
    }

    @Test
    void connectionRefusedIsANetworkFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SafeHttp.NetworkFailure f = assertThrows(SafeHttp.NetworkFailure.class,
                () -> http.send(get("http://127.0.0.1:" + port + "/"), only127, null));
        assertEquals("connection_refused", f.transportKind());
    }

    @Test
    void stalledServerTimesOut() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) held.add(s.accept());
                } catch (Exception ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            SafeHttp quick = new SafeHttp(HttpLimits.DEFAULT.withRequestTimeout(Duration.ofMillis(500)));
            SafeHttp.NetworkFailure f = assertThrows(SafeHttp.NetworkFailure.class,
                    () -> quick.send(get("http://127.0.0.1:" + s.getLocalPort() + "/"), only127, null));
            assertEquals("timeout", f.transportKind());
        } finally {
            for (Socket x : held) x.close();
        }
    }

    /**
     * A server that sends the headers (announcing 100 body bytes) and 10 of them, then goes silent
     * without closing the connection.
     */
    static ServerSocket silentAfterPartOfTheBody(List<Socket> held) throws Exception {
        ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket c = s.accept();
                    held.add(c);
                    java.io.InputStream in = c.getInputStream();
                    // read the request head (up to the empty line)
                    int state = 0;
                    while (state < 4) {
                        int b = in.read();
                        if (b < 0) break;
                        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
                    }
                    c.getOutputStream().write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n"
                            + "0123456789").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                }
            } catch (Exception ignored) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    @Test
    void aBodyThatGoesSilentIsATimeoutNotATruncatedResponse() throws Exception {
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket s = silentAfterPartOfTheBody(held)) {
            SafeHttp quick = new SafeHttp(HttpLimits.DEFAULT.withRequestTimeout(Duration.ofMillis(500)));
            SafeHttp.NetworkFailure f = assertThrows(SafeHttp.NetworkFailure.class,
                    () -> quick.send(get("http://127.0.0.1:" + s.getLocalPort() + "/"), only127, null));
            assertEquals("timeout", f.transportKind());
        } finally {
            for (Socket x : held) x.close();
        }
    }

    @Test
    void aStreamThatGoesSilentIsAnIdleTimeoutNotAnEnd() throws Exception {
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket s = silentAfterPartOfTheBody(held)) {
            SafeHttp quick = new SafeHttp(HttpLimits.DEFAULT.withStreamIdleTimeout(Duration.ofMillis(50)));
            // Several rounds: the watchdog's close races with the blocked read it interrupts.
            for (int round = 0; round < 40; round++) {
                try (SafeHttp.Opened o = quick.open(get("http://127.0.0.1:" + s.getLocalPort() + "/"), only127, Duration.ofSeconds(5))) {
                    assertEquals(200, o.status());
                    SafeHttp.NetworkFailure f = assertThrows(SafeHttp.NetworkFailure.class, () -> {
                        while (o.next() != null) {
                            // the 10 bytes, then the silence
                        }
                    }, "round " + round);
                    assertEquals("timeout", f.transportKind(), "round " + round + ": " + f.getMessage());
                }
            }
        } finally {
            for (Socket x : held) x.close();
        }
    }

    @Test
    void streamsChunks() throws Exception {
        HttpWire.Headers h = new HttpWire.Headers().add("authorization", "Bearer " + a.apiKey()).add("content-type", "application/json");
        HttpWire.Request req = new HttpWire.Request("POST", a.baseUrl() + "chat/completions", h, "HTTP/1.1",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x y\"}]}".getBytes());
        StringBuilder all = new StringBuilder();
        try (SafeHttp.Opened o = http.open(req, only127, null)) {
            assertEquals(200, o.status());
            byte[] c;
            while ((c = o.next()) != null) all.append(new String(c));
        }
        assertTrue(all.toString().endsWith("data: [DONE]\n\n"), all.toString());
    }

    static NetworkPolicy globs(String... globs) {
        return NetworkPolicy.builder().allowedHosts(List.of(globs)).build();
    }

    @Test
    void nameAllowedByAGlobButResolvingToLoopbackIsRefusedBeforeConnecting() {
        // "localhost" is resolved for real (no literal): whatever it gives is loopback
        ProviderException e = assertThrows(ProviderException.class,
                () -> http.send(get("http://localhost:" + a.port() + "/v1/models"), globs("local*"), null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("host 'localhost' resolves to "), e.getMessage());
        assertTrue(e.getMessage().contains("(loopback)"), e.getMessage());
        assertTrue(a.requests().isEmpty(), "nothing was sent");
    }

    @Test
    void theMachinesOwnHostNameIsRefusedWhenItResolvesToALocalAddress() throws Exception {
        String name;
        InetAddress[] resolved;
        try {
            name = InetAddress.getLocalHost().getHostName();
            resolved = InetAddress.getAllByName(name);
        } catch (java.net.UnknownHostException e) {
            Assumptions.abort("this machine's host name does not resolve: " + e.getMessage());
            return;
        }
        Assumptions.assumeFalse(name.equalsIgnoreCase("localhost") || NetworkPolicy.isLocalOrPrivate(name) || name.matches("[0-9.:]+"),
                "host name is a literal or localhost: " + name);
        boolean local = false;
        for (InetAddress x : resolved) local |= IpRanges.nonPublicRange(x) != null;
        Assumptions.assumeTrue(local, "this machine's host name resolves to public addresses only");
        ProviderException e = assertThrows(ProviderException.class,
                () -> http.send(get("http://" + name + ":" + a.port() + "/v1/models"), globs("*"), null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("'" + name.toLowerCase(java.util.Locale.ROOT) + "' resolves to"), e.getMessage());
        assertTrue(a.requests().isEmpty());
    }

    @Test
    void literalAddressesAreCheckedUnlessListedExactly() throws Exception {
        ProviderException e = assertThrows(ProviderException.class, () -> http.send(get(a.baseUrl() + "models"), globs("*"), null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("'127.0.0.1' resolves to 127.0.0.1 (loopback)"), e.getMessage());
        ProviderException v6 = assertThrows(ProviderException.class, () -> http.send(get("http://[fd00:ec2::254]/latest/"), globs("*"), null));
        assertTrue(v6.getMessage().contains("'fd00:ec2::254' resolves to fd00:ec2:0:0:0:0:0:254 (private (unique local))"), v6.getMessage());
        assertEquals(200, http.send(get(a.baseUrl() + "models"), globs("127.0.0.1"), null).status());
        assertEquals(200, http.send(get(a.baseUrl() + "models"),
                NetworkPolicy.builder().allowedHost("127.0.0.*").allowPrivateNetworks(true).build(), null).status());
    }

    @Test
    void redirectHopToANameResolvingToLoopbackIsRefused() {
        NetworkPolicy p = NetworkPolicy.builder().allowedHost("127.0.0.1").allowedHost("local*").build();
        assertRedirectToLocalhostDenied(p, "host 'localhost' resolves to ", "the hop was refused before connecting");
    }

    @Test
    void anAnswerThatChangesAfterTheCheckDiscardsTheResponse() throws Exception {
        // Simulates DNS rebinding in the gap between the check and the client's own lookup: the
        // check is told a public address, the client (and the re-check) see the real loopback one.
        AtomicInteger lookups = new AtomicInteger();
        SafeHttp rebinding = new SafeHttp(HttpLimits.DEFAULT, host -> lookups.getAndIncrement() == 0
                ? new InetAddress[] {InetAddress.getByName("93.184.215.14")}
                : InetAddress.getAllByName(host));
        ProviderException e = assertThrows(ProviderException.class, () -> rebinding.send(get(a.baseUrl() + "models"), globs("127.0.0.*"), null));
        assertEquals(ProviderErrorKind.SANDBOX_DENIED, e.providerKind());
        assertTrue(e.getMessage().contains("resolves to 127.0.0.1 (loopback)"), e.getMessage());
        assertTrue(e.getMessage().contains("changed after the check"), e.getMessage());
        assertEquals(2, lookups.get());
    }

    @Test
    void aStableAnswerIsLookedUpOnceBeforeAndOnceAfter() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        SafeHttp counting = new SafeHttp(HttpLimits.DEFAULT, host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        });
        // the client itself connects to the literal 127.0.0.1; the resolver only feeds the check
        assertEquals(200, counting.send(get(a.baseUrl() + "models"), globs("127.0.0.*"), null).status());
        assertEquals(2, lookups.get());
        assertEquals(200, counting.send(get(a.baseUrl() + "models"), only127, null).status());
        assertEquals(2, lookups.get(), "a host named exactly is not looked up");
    }

    /**
     * A request hands no work to {@code ForkJoinPool.commonPool()} (where {@code sendAsync} completes
     * its future) and starts no thread of its own once the client's threads exist. With fewer than
     * three cores the JDK's {@code CompletableFuture} runs that completion on a new thread each time
     * (the first check failed with {@code sendAsync}); with more, on the common pool, which the
     * application may keep busy (the second check then timed out).
     */
    @Test
    void aRequestNeedsNoCommonPoolThreadAndStartsNoThread() throws Exception {
        SafeHttp quick = new SafeHttp(HttpLimits.DEFAULT.withRequestTimeout(Duration.ofSeconds(5)));
        for (int i = 0; i < 40; i++) quick.send(get(a.baseUrl() + "models"), only127, null); // the server's 16 threads, the client's
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getTotalStartedThreadCount();
        for (int i = 0; i < 20; i++) assertEquals(200, quick.send(get(a.baseUrl() + "models"), only127, null).status());
        long started = threads.getTotalStartedThreadCount() - before;
        assertTrue(started < 5, started + " threads started for 20 requests");

        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch busy = new CountDownLatch(workers);
        AtomicBoolean release = new AtomicBoolean();
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                while (!release.get()) LockSupport.parkNanos(1_000_000L); // no managed blocking: no spare worker
            });
        }
        try {
            assertTrue(busy.await(10, TimeUnit.SECONDS), "every common-pool worker is busy");
            assertEquals(200, quick.send(get(a.baseUrl() + "models"), only127, null).status());
        } finally {
            release.set(true);
        }
    }
}
