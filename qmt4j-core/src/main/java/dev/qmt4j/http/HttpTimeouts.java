package dev.qmt4j.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two waits every qmt4j HTTP exchange bounds, in one place: the wait for the response headers
 * ({@link #send}) and a body that brings no byte for a while ({@link #idleGuarded}, and
 * {@link #schedule} for a body read by a subscriber). Modelled on OkHttp's single timeout
 * mechanism (https://square.github.io/okhttp/features/timeouts/): one watchdog thread, and a
 * timed-out read is always an {@link IdleTimeout}, never a short or empty read.
 *
 * <p>Why not {@code HttpRequest.timeout}: from JDK-8208693 (newer JDKs) it also covers reading the
 * body, which would cut off any large download or long stream that takes longer in all.
 */
public final class HttpTimeouts {
    private HttpTimeouts() {}

    /** The response headers did not arrive in time; the exchange was cancelled. */
    public static final class HeadersTimeout extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        HeadersTimeout(Duration timeout) {
            super("no response headers within " + timeout.toMillis() + " ms");
        }
    }

    /** The body brought no byte for the idle timeout; the stream was closed. */
    public static final class IdleTimeout extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        /**
         * @param timeout the idle timeout that passed
         * @param detail where the body stood (e.g. "after 10 of 100"), or empty
         */
        public IdleTimeout(Duration timeout, String detail) {
            super("no body bytes for " + timeout.toMillis() + " ms" + (detail.isEmpty() ? "" : " " + detail));
        }
    }

    /** The one watchdog thread, started on the first timed read (most commands send nothing). */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qmt4j-http-watchdog");
            t.setDaemon(true);
            return t;
        });

        static {
            // A read that returns in time cancels its watch: drop it at once, not when it would have fired.
            TIMER.setRemoveOnCancelPolicy(true);
            // The executor wakes its thread whenever a new task becomes the earliest one. With this tick
            // queued, a watch of more than a second never is, so arming and cancelling the usual long
            // timeouts (once or more per request) costs no thread wake-up; tasks still fire on time.
            TIMER.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code request} with {@link HttpClient#send} and waits at most {@code timeout} for the
     * response headers; the body is not bounded here. Unlike {@code sendAsync}, {@code send} starts
     * the exchange on the calling thread and hands the response straight back to it: {@code sendAsync}
     * starts it on the client's executor and completes
     * its future through {@code ForkJoinPool.commonPool()} (JDK's {@code HttpClientImpl.sendAsync}),
     * two more thread hand-offs per request (docs/benchmarks.md, chat overhead) and a stall whenever
     * the application keeps the common pool busy.
     *
     * <p>The wait is bounded by interrupting the calling thread when the headers are late, which
     * {@code send} answers by cancelling the exchange; that interrupt is always cleared again
     * before this method returns, so the caller never sees it.
     *
     * @return the response (its body still to be read)
     * @throws HeadersTimeout when the headers do not arrive in time (the exchange is cancelled)
     * @throws IOException the exchange's own failure (connect timeout, refused, TLS, ...)
     * @throws InterruptedException when the calling thread is interrupted (the exchange is cancelled)
     */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler,
            Duration timeout) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        HeadersWatch watch = new HeadersWatch(Thread.currentThread());
        ScheduledFuture<?> timer = schedule(timeout, watch);
        HttpResponse<T> response;
        try {
            response = client.send(request, handler);
        } catch (IOException | InterruptedException e) {
            timer.cancel(false);
            if (watch.end()) {
                // Our interrupt: an InterruptedException, or a ClosedByInterruptException from a write it cut short.
                throw (HeadersTimeout) new HeadersTimeout(timeout).initCause(e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            timer.cancel(false);
            watch.end();
            throw e;
        }
        timer.cancel(false);
        watch.end(); // fired as the headers came: they came, keep the response
        return response;
    }

    /** Interrupts the waiting thread once, unless the wait ended first; exactly one of the two wins. */
    private static final class HeadersWatch implements Runnable {
        private final Thread caller;
        private boolean ended;
        private boolean fired;

        HeadersWatch(Thread caller) {
            this.caller = caller;
        }

        @Override
        public synchronized void run() {
            if (!ended) {
                fired = true;
                caller.interrupt();
            }
        }

        /**
         * Ends the watch, on the waiting thread. The interrupt, if it fired, was delivered inside
         * {@link #run}'s lock, so clearing it here leaves none behind.
         *
         * @return whether the watch fired
         */
        synchronized boolean end() {
            ended = true;
            if (fired) {
                Thread.interrupted();
            }
            return fired;
        }
    }

    /**
     * Runs {@code task} on the watchdog thread after {@code delay}; for bodies read by a subscriber
     * (which check their own last byte) rather than through {@link #idleGuarded}.
     */
    public static ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return Watchdog.TIMER.schedule(task, Math.max(1, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /**
     * {@code body}, with every read abandoned (the stream closed) when it brings no byte within
     * {@code idle}. Such a read throws {@link IdleTimeout}: a stream closed under a blocked read may
     * otherwise read as a false end of the body. A read after {@link InputStream#close} (by another
     * thread, e.g. an overall deadline) throws too, for the same reason. Time spent between reads,
     * by a slow consumer, does not count.
     */
    public static InputStream idleGuarded(InputStream body, Duration idle) {
        return new IdleGuarded(body, idle);
    }

    private static final class IdleGuarded extends FilterInputStream {
        private final Duration idle;
        private volatile boolean closed;
        private volatile boolean expired;

        IdleGuarded(InputStream in, Duration idle) {
            super(in);
            this.idle = idle;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (expired) {
                throw new IdleTimeout(idle, "");
            }
            if (in.available() > 0) {
                // Bytes already received: this read cannot block (InputStream#available), so no watch
                // (scheduling one wakes the watchdog thread, a cost on every small response).
                int n = in.read(b, off, len);
                if (n < 0 && closed) {
                    throw new IOException("closed");
                }
                return n;
            }
            // Exactly one of the read and the watchdog wins this flag, so a read that returns
            // as the watchdog fires is either kept or reported as timed out, never both.
            AtomicBoolean reading = new AtomicBoolean(true);
            ScheduledFuture<?> watch = schedule(idle, () -> {
                if (reading.compareAndSet(true, false)) {
                    expired = true;
                    closeQuietly(in);
                }
            });
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                reading.set(false);
                watch.cancel(false);
                if (expired) {
                    throw (IOException) new IdleTimeout(idle, "").initCause(e);
                }
                throw e;
            }
            boolean inTime = reading.compareAndSet(true, false);
            watch.cancel(false);
            if (!inTime || expired) {
                throw new IdleTimeout(idle, ""); // the watchdog closed the stream: not an end
            }
            if (n < 0 && closed) {
                throw new IOException("closed");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Through read, so the skip is bounded too.
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a stalled body
        }
    }
}
