package dev.qmt4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two waits against a real local server that goes silent, through the JDK client. */
class HttpTimeoutsTest {
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final HttpClient client = SelectorThreads.build(HttpClient.newBuilder());
    ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) s.close();
        if (server != null) server.close();
    }

    /** Accepts, reads the request head, writes {@code reply} (may be empty) and then says nothing more. */
    URI silentAfter(String reply) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket c = server.accept();
                    held.add(c);
                    InputStream in = c.getInputStream();
                    int state = 0; // CR LF CR LF ends the request head
                    while (state < 4) {
                        int b = in.read();
                        if (b < 0) break;
                        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
                    }
                    c.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                }
            } catch (IOException ignored) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    @Test
    void headersThatNeverComeThroughSendAreAHeadersTimeoutAndLeaveNoInterrupt() throws Exception {
        URI uri = silentAfter("");
        HttpRequest req = HttpRequest.newBuilder(uri).build();
        HttpTimeouts.HeadersTimeout e = assertThrows(HttpTimeouts.HeadersTimeout.class,
                () -> HttpTimeouts.send(client, req, HttpResponse.BodyHandlers.ofInputStream(), Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
        assertFalse(Thread.interrupted(), "the watch's interrupt is cleared");
    }

    @Test
    void sendReturnsTheResponseAndLeavesNoInterrupt() throws Exception {
        URI uri = silentAfter("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        for (int round = 0; round < 20; round++) {
            // a timeout this close to the answer makes the watch fire as the headers arrive in some rounds
            HttpResponse<byte[]> r;
            try {
                r = HttpTimeouts.send(client, HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray(),
                        Duration.ofNanos(200_000L * round + 1));
            } catch (HttpTimeouts.HeadersTimeout late) {
                assertFalse(Thread.interrupted(), "round " + round);
                continue;
            }
            assertEquals("ok", new String(r.body(), StandardCharsets.US_ASCII));
            assertFalse(Thread.interrupted(), "round " + round);
        }
    }

    @Test
    void anInterruptOfTheCallerStaysAnInterruptedException() throws Exception {
        URI uri = silentAfter("");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> HttpTimeouts.send(client, HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofInputStream(), Duration.ofSeconds(5)));
    }

    @Test
    void aBodyThatGoesSilentFailsItsReadAfterTheBytesThatCame() throws Exception {
        URI uri = silentAfter("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789");
        // Many rounds: the watchdog's close races with the read it abandons; each must be a timeout.
        for (int round = 0; round < 30; round++) {
            HttpResponse<InputStream> r = HttpTimeouts.send(client, HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream(), Duration.ofSeconds(5));
            try (InputStream in = HttpTimeouts.idleGuarded(r.body(), Duration.ofMillis(50))) {
                byte[] got = new byte[10];
                int n = 0;
                while (n < 10) n += in.read(got, n, 10 - n);
                assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), got);
                assertThrows(HttpTimeouts.IdleTimeout.class, () -> in.read(new byte[10]), "round " + round);
                assertThrows(HttpTimeouts.IdleTimeout.class, () -> in.read(), "a later read fails too");
            }
        }
    }

    /**
     * Bytes already there are read without a watch: even a watchdog that fires at once cannot time
     * out such a read (before, each read armed one, and with this timeout some read lost the race).
     */
    @Test
    void bytesAlreadyReceivedAreNeverAnIdleTimeout() throws Exception {
        byte[] data = new byte[20_000];
        try (InputStream in = HttpTimeouts.idleGuarded(new java.io.ByteArrayInputStream(data), Duration.ofNanos(1))) {
            for (int i = 0; i < data.length; i++) {
                assertEquals(0, in.read(), "byte " + i);
            }
        }
    }

    @Test
    void aStreamClosedByAnotherThreadIsNeverAnEnd() throws Exception {
        // An InputStream that, like some, reads as an end once closed under a blocked read.
        InputStream quietEnd = new InputStream() {
            volatile boolean closed;

            @Override
            public synchronized int read() {
                while (!closed) {
                    try {
                        wait(5);
                    } catch (InterruptedException e) {
                        return -1;
                    }
                }
                return -1;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
        InputStream guarded = HttpTimeouts.idleGuarded(quietEnd, Duration.ofMillis(50));
        HttpTimeouts.IdleTimeout e = assertThrows(HttpTimeouts.IdleTimeout.class, guarded::read);
        assertEquals("no body bytes for 50 ms", e.getMessage());
    }
}
