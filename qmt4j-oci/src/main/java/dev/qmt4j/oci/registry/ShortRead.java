package dev.qmt4j.oci.registry;

import java.io.IOException;

/** A blob body ended before its declared size; retried, and reported as truncation if it keeps happening. */
final class ShortRead extends IOException {
    private static final long serialVersionUID = 1L;

    final long got;
    final long expected;

    ShortRead(long got, long expected, IOException cause) {
        super("got " + got + " of " + expected + " bytes", cause);
        this.got = got;
        this.expected = expected;
    }
}
