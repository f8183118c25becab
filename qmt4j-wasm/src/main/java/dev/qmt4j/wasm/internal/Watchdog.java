package dev.qmt4j.wasm.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts a call's thread at its deadline. Chicory checks the interrupt flag at function entry
 * and backward branches (interpreter and compiled code) and throws {@code ChicoryInterruptedException}.
 * The call runs on the caller's own thread (no hand-off per call); the ticket's state machine makes
 * sure an interrupt meant for a call never leaks into the caller's later work.
 *
 * <p>Arming and disarming are on every call's path, so they cost a set insert and remove, not a
 * timer task: one daemon thread sleeps until the earliest deadline it knows of and is woken only
 * when a ticket with an earlier deadline arrives (with the usual uniform timeout, almost never).
 * A {@code ScheduledThreadPoolExecutor} woke its thread on every call (two context switches per
 * call, about an eighth of a small call's time on a 2-core machine).
 */
final class Watchdog {
    private static final Set<Ticket> LIVE = ConcurrentHashMap.newKeySet();
    /** When the watchdog thread will next look; {@code Long.MAX_VALUE} while it scans or has nothing to wait for. */
    private static volatile long plannedWake = Long.MAX_VALUE;
    private static final Thread THREAD;

    static {
        THREAD = new Thread(Watchdog::loop, "qmt4j-wasm-watchdog");
        THREAD.setDaemon(true);
        THREAD.start();
    }

    private Watchdog() {}

    static Ticket arm(long timeoutNanos) {
        Ticket t = new Ticket(Thread.currentThread(), System.nanoTime() + timeoutNanos);
        LIVE.add(t);
        // Wake the thread if it plans to look later than this deadline, or is scanning and may have
        // missed the new ticket (an early unpark only makes its next park return at once).
        if (t.deadline < plannedWake || plannedWake == Long.MAX_VALUE) {
            LockSupport.unpark(THREAD);
        }
        return t;
    }

    private static void loop() {
        for (;;) {
            try {
                plannedWake = Long.MAX_VALUE;
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (Ticket t : LIVE) {
                    if (t.deadline - now <= 0) {
                        LIVE.remove(t);
                        t.fire();
                    } else if (t.deadline < next) {
                        next = t.deadline;
                    }
                }
                plannedWake = next;
                if (next == Long.MAX_VALUE) {
                    LockSupport.park();
                } else {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            } catch (Throwable e) {
                // never let the watchdog die; the next scan retries
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** One armed deadline. */
    static final class Ticket {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRING = 2;
        private static final int FIRED = 3;

        private final Thread thread;
        private final long deadline;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        private Ticket(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
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
                LIVE.remove(this);
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
