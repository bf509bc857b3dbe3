package dev.tern.engine.internal.exec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a run's thread waits in place (a wait within its suspend grace, a retry's backoff, a limit's line) and what
 * wakes it: signals, counted, so that a wait that takes the count before it looks at the store ({@link #soFar}) and
 * parks with it is woken by a signal that came in between.
 */
final class Wakeups {
    /** How often a park under a {@link dev.tern.engine.ManualClock} looks at the clock again. */
    static final long MANUAL_CLOCK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    /** How many signals arrived; written under {@link #lock}. */
    private volatile long signals;

    private volatile Instant parkedUntil;

    /** Something for the run arrived: wake it if it is parked. */
    void signal() {
        lock.lock();
        try {
            signals++;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many signals have arrived so far. */
    long soFar() {
        return signals;
    }

    /**
     * Waits up to {@code millis} on {@code clock}, until a signal arrives after the {@code seen}th, or while
     * {@code stopped} does not hold; an interrupt ends it too, and is kept unless {@code stopped} explains it.
     */
    void park(Clock clock, long millis, long seen, BooleanSupplier stopped) {
        if (millis <= 0) return;
        boolean manual = clock instanceof dev.tern.engine.ManualClock;
        Instant until = clock.instant().plusMillis(millis);
        parkedUntil = until;
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (signals == seen && nanos > 0 && !stopped.getAsBoolean()) {
                if (!manual) {
                    nanos = signalled.awaitNanos(nanos);
                } else { // the time is the test's: look again at its clock every few milliseconds
                    signalled.awaitNanos(Math.min(nanos, MANUAL_CLOCK_POLL_NANOS));
                    nanos = Duration.between(clock.instant(), until).toNanos();
                }
            }
        } catch (InterruptedException e) {
            if (!stopped.getAsBoolean()) Thread.currentThread().interrupt();
        } finally {
            parkedUntil = null;
            lock.unlock();
        }
    }

    /** The time the run is parked until, or null while it is not parked. */
    Instant parkedUntil() {
        return parkedUntil;
    }
}
