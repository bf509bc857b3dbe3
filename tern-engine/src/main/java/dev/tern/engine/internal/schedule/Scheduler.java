package dev.tern.engine.internal.schedule;

import dev.tern.engine.ScheduleRecord;
import dev.tern.engine.StoreUnavailableException;
import dev.tern.engine.TernException;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules on this node. It sleeps until the earliest schedule is due (at most one poll interval, so
 * schedules created on other nodes are seen), claims due ones, starts each fire's run with the idempotency key
 * {@code sched:<id>:<fireAt>}, and moves the schedule to its next fire.
 *
 * <p>Exactly one run per fire: the claim keeps other nodes off the schedule, and if the claim is lost (this node dies
 * or stalls between starting the run and recording the fire) the next claimer computes the same key and gets the same
 * run back. Fires missed while no node ran are not replayed one by one: the overdue fire starts one run, and the next
 * fire is the first one after now.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final int BATCH = 32;
    /** Where a cron expression that can never match again leaves the schedule. */
    private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

    /** Starts the run of one fire, returning its id; throws a {@link TernException} when the engine refuses it. */
    @FunctionalInterface
    public interface Starter {
        String start(ScheduleRecord schedule, String idempotencyKey);
    }

    /** This node's id, how often to look for schedules this node was not told about, and how long a claim holds. */
    public record Settings(String nodeId, Duration pollInterval, Duration claimLease) {}

    private final ScheduleStore store;
    private final Clock clock;
    private final Settings settings;
    private final Starter starter;
    private final Object monitor = new Object();
    private final Thread thread;
    private boolean woken;
    private volatile boolean closed;

    public Scheduler(ScheduleStore store, Clock clock, Settings settings, Starter starter) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.starter = starter;
        this.thread = Thread.ofPlatform().name("tern-scheduler").daemon().unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Looks for due schedules now (a schedule was created or resumed). */
    public void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    private void loop() {
        long backoff = 100;
        while (!closed) {
            try {
                Instant now = clock.instant();
                Optional<Instant> due = store.nextDue(now);
                if (due.isPresent() && !due.get().isAfter(now)) {
                    if (fireDue(now) == 0) pause(Duration.ofMillis(50));
                } else {
                    Duration wait = settings.pollInterval();
                    if (due.isPresent() && Duration.between(now, due.get()).compareTo(wait) < 0)
                        wait = Duration.between(now, due.get());
                    pause(wait);
                }
                backoff = 100;
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("firing schedules failed ({}); retrying in {} ms", e.getMessage(), backoff);
                pause(Duration.ofMillis(backoff));
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private int fireDue(Instant now) {
        List<ScheduleRecord> claimed =
                Futures.await(store.claimDue(settings.nodeId(), now, BATCH, now.plus(settings.claimLease())));
        for (ScheduleRecord schedule : claimed) {
            if (closed) break;
            fire(schedule);
        }
        return claimed.size();
    }

    private void fire(ScheduleRecord schedule) {
        Instant fireAt = schedule.nextFireAt();
        String runId = null;
        String error = null;
        try {
            runId = starter.start(schedule, ScheduleRecord.idempotencyKey(schedule.id(), fireAt));
            log.debug("schedule {} fired for {}: run {}", schedule.id(), fireAt, runId);
        } catch (StoreUnavailableException e) {
            throw e; // the store failed, not the request: the fire stays due and is tried again
        } catch (TernException e) {
            error = e.getMessage();
            log.warn("schedule {} fired for {} but started no run: {}", schedule.id(), fireAt, error);
        }
        Instant now = clock.instant();
        Instant after = now.isAfter(fireAt) ? now : fireAt;
        Instant next = Cadence.of(schedule.cron(), schedule.interval(), schedule.timezone())
                .nextAfter(after, schedule.createdAt())
                .orElse(NEVER);
        if (!Futures.await(store.recordFire(schedule.id(), fireAt, next, runId, error, now))) {
            log.debug("schedule {} was changed or deleted while firing for {}", schedule.id(), fireAt);
        }
    }

    private void pause(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        synchronized (monitor) {
            if (!woken && !closed) {
                try {
                    monitor.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            woken = false;
        }
    }

    /** Stops firing; a fire in progress finishes first (its claim would expire anyway). */
    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
