package dev.qmt4j.wasm.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts a call's thread at its deadline. Chicory checks the interrupt flag at function entry
 * and backward branches (interpreter and compiled code) and throws {@code ChicoryInterruptedException}.
 * The call runs on the caller's own thread (no hand-off per call); the ticket's state machine makes
 * sure an interrupt meant for a call never leaks into the caller's later work.
 */
final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qmt4j-wasm-watchdog");
            t.setDaemon(true);
            return t;
        });
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {}

    static Ticket arm(long timeoutNanos) {
        Ticket t = new Ticket(Thread.currentThread());
        t.future = TIMER.schedule(t::fire, timeoutNanos, TimeUnit.NANOSECONDS);
        return t;
    }

    /** One armed deadline. */
    static final class Ticket {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRING = 2;
        private static final int FIRED = 3;

        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile ScheduledFuture<?> future;

        private Ticket(Thread thread) {
            this.thread = thread;
        }

        private void fire() {
            if (state.compareAndSet(RUNNING, FIRING)) {
                thread.interrupt();
                state.set(FIRED);
            }
        }

        /** Disarms; returns whether the deadline fired (the interrupt flag is then cleared). */
        boolean disarm() {
            if (state.compareAndSet(RUNNING, DONE)) {
                ScheduledFuture<?> f = future;
                if (f != null) {
                    f.cancel(false);
                }
                return false;
            }
            while (state.get() != FIRED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return true;
        }
    }
}
