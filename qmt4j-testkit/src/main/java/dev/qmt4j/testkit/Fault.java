package dev.qmt4j.testkit;

/**
 * A misbehaviour {@link FaultProxy} applies to a matching response. Faults on the body act on the
 * upstream's real response; {@link Status} answers without asking the upstream at all.
 */
public sealed interface Fault {

    /** Sends the real headers (full Content-Length) but only the first {@code bytes} of the body, then closes. */
    record Truncate(long bytes) implements Fault {}

    /** Sends the full body with the byte at {@code offset} inverted (offset beyond the end: the last byte). */
    record FlipByte(long offset) implements Fault {}

    /** Answers {@code status} itself, with {@code Retry-After} if {@code retryAfter} is non-null. */
    record Status(int status, String retryAfter) implements Fault {}

    /** Sends the first {@code bytes} of the body, then resets the connection (TCP RST). */
    record Reset(long bytes) implements Fault {}

    /** Sends the first {@code bytes} of the body, then one byte every {@code intervalMillis} until done or closed. */
    record Stall(long bytes, long intervalMillis) implements Fault {}

    /** Replaces the body (and its Content-Length, and Content-Type if non-null), keeping other headers. */
    record ReplaceBody(byte[] body, String contentType) implements Fault {}

    /**
     * Forwards the request without its {@code Range} and {@code If-Range} headers, so the upstream
     * answers {@code 200} with the whole body: a server that ignores ranges.
     */
    record IgnoreRange() implements Fault {}

    /**
     * Forwards {@code Range: bytes=N-} as {@code bytes=(N+delta)-}, so the upstream answers a range
     * other than the one asked for ({@code 206} at the wrong offset, or {@code 416} past the end).
     */
    record ShiftRange(long delta) implements Fault {}

    static Fault truncateAfter(long bytes) {
        return new Truncate(bytes);
    }

    static Fault flipByte(long offset) {
        return new FlipByte(offset);
    }

    static Fault status(int status) {
        return new Status(status, null);
    }

    /** 429 Too Many Requests with {@code Retry-After: seconds}. */
    static Fault tooManyRequests(int retryAfterSeconds) {
        return new Status(429, Integer.toString(retryAfterSeconds));
    }

    static Fault resetAfter(long bytes) {
        return new Reset(bytes);
    }

    static Fault stallAfter(long bytes, long intervalMillis) {
        return new Stall(bytes, intervalMillis);
    }

    static Fault ignoreRange() {
        return new IgnoreRange();
    }

    static Fault shiftRange(long delta) {
        return new ShiftRange(delta);
    }

    static Fault replaceBody(byte[] body, String contentType) {
        return new ReplaceBody(body, contentType);
    }
}
