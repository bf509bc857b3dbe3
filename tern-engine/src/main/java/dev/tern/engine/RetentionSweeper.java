package dev.tern.engine;

import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.telemetry.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention ({@link EngineConfig#retention()}): on a virtual thread, every {@link #INTERVAL} (and each time a
 * {@link ManualClock} is advanced), deletes the runs that finished longer than the retention ago, with all their rows,
 * {@link #BATCH} runs per store write, pausing between writes so that the runs' own writes keep their place in the
 * writer's queue. Counted in {@code tern_runs_deleted_total}. Every node of a cluster may sweep: a run deleted by one
 * is simply not found by the others.
 */
final class RetentionSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Runs deleted per transaction. */
    static final int BATCH = 500;

    private static final Duration PAUSE = Duration.ofMillis(20);

    private final Duration retention;
    private final RunStore store;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean closed;
    private Thread thread;

    RetentionSweeper(Duration retention, RunStore store, Clock clock, EngineMetrics metrics) {
        this.retention = retention;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Starts sweeping, unless retention is off. */
    void start() {
        if (retention == null) return;
        if (clock instanceof ManualClock manual) manual.onAdvance(wakeups::release);
        thread = Thread.ofVirtual().name("tern-retention").start(this::loop);
    }

    /** Deletes every run due for deletion now, a batch per transaction; returns how many. */
    int sweep() throws InterruptedException {
        int total = 0;
        Instant cutoff = clock.instant().minus(retention);
        while (!closed) {
            int deleted = Futures.await(store.deleteFinished(cutoff, BATCH));
            if (deleted > 0) metrics.runsDeleted(deleted);
            total += deleted;
            if (deleted < BATCH) break;
            Thread.sleep(PAUSE);
        }
        if (total > 0) log.info("retention: deleted {} runs that finished before {}", total, cutoff);
        return total;
    }

    private void loop() {
        while (!closed) {
            try {
                sweep();
                if (wakeups.tryAcquire(INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("retention: deleting finished runs failed, retrying in {}: {}", INTERVAL, e.toString());
                try {
                    Thread.sleep(INTERVAL);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t == null) return;
        wakeups.release();
        try {
            if (!t.join(Duration.ofSeconds(10))) t.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
