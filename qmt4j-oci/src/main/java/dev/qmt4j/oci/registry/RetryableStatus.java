package dev.qmt4j.oci.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** A response that asks to be tried again later (429, 502, 503, 504), carried as an IOException so retries treat it like a dropped connection. */
final class RetryableStatus extends IOException {
    private static final long serialVersionUID = 1L;

    final int status;
    final transient Optional<Duration> retryAfter;

    RetryableStatus(int status, Optional<Duration> retryAfter, String what) {
        super("HTTP " + status + " for " + what);
        this.status = status;
        this.retryAfter = retryAfter;
    }
}
