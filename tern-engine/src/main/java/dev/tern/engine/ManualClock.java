package dev.tern.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: give it to {@link EngineConfig#withClock} and durable sleeps, timeouts, retries'
 * backoff and schedules follow it, so a test of a workflow that sleeps a week moves the clock a week instead of waiting
 * one (Temporal's test server does the same). The engine listens to it: every move wakes whatever waits for a time that
 * may now have come.
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * A clock at {@code start}, to the millisecond: the precision the store keeps times in, so a timer is due exactly
     * when the clock reaches it.
     */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A clock that starts at the system's time now. */
    public static ManualClock startingNow() {
        return new ManualClock(Instant.now());
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) return this;
        throw new UnsupportedOperationException("a manual clock reads UTC");
    }

    /** Moves the time forward by {@code by} (never back) and wakes the engine's waiters. */
    public Instant advance(Duration by) {
        if (by.isNegative())
            throw new IllegalArgumentException("a clock cannot go back (was asked to move " + by + ")");
        Instant moved = now.updateAndGet(t -> t.plus(by).truncatedTo(ChronoUnit.MILLIS));
        listeners.forEach(Runnable::run);
        return moved;
    }

    /** Moves the time forward to {@code when}; a time already past leaves the clock where it is. */
    public Instant advanceTo(Instant when) {
        Instant target = when.truncatedTo(ChronoUnit.MILLIS);
        Instant moved = now.updateAndGet(t -> target.isAfter(t) ? target : t);
        listeners.forEach(Runnable::run);
        return moved;
    }

    /** Called after every move (the engine registers its dispatcher and scheduler here). */
    void onAdvance(Runnable listener) {
        listeners.add(listener);
    }
}
