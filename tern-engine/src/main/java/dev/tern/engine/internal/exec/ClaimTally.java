package dev.tern.engine.internal.exec;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Claims begun and claims whose runs are registered as executing: a run the store shows as this node's but that is not
 * yet executing may just have been claimed, so the lease keeper waits until every claim begun before its read is
 * registered before it calls such a run an orphan (else it would release a run the dispatcher is about to launch).
 */
final class ClaimTally {
    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong registered = new AtomicLong();

    /** A claim begins: its runs are not yet executing. */
    void begin() {
        begun.incrementAndGet();
    }

    /** The claim's runs are registered as executing (or it claimed none). */
    void registered() {
        registered.incrementAndGet();
    }

    /** Claims begun so far. */
    long begun() {
        return begun.get();
    }

    /** Claims begun and not yet registered. */
    long inFlight() {
        return begun.get() - registered.get();
    }

    /** Waits at most {@code maxMillis} for the first {@code count} claims to be registered; whether they are. */
    boolean awaitRegistered(long count, long maxMillis, BooleanSupplier closed) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (registered.get() < count && !closed.getAsBoolean() && System.nanoTime() < deadline) Pause.quietly(1);
        return registered.get() >= count;
    }
}
