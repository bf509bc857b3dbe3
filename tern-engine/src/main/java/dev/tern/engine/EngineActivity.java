package dev.tern.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * A node's activity at one moment (see {@link TernEngine#activity()}).
 *
 * @param busyRuns runs executing here that do not wait for a time (a run parked until a retry's backoff ends is not
 *     busy)
 * @param nextDue the earliest time something waits for: a suspended run's wake-up, a parked retry, a schedule's next
 *     fire
 */
public record EngineActivity(int busyRuns, Optional<Instant> nextDue) {
    static EngineActivity of(
            Instant now,
            dev.tern.engine.internal.store.RunStore store,
            dev.tern.engine.internal.exec.Dispatcher dispatcher) {
        java.util.Optional<Instant> due = java.util.stream.Stream.of(
                        store.nextDue(), store.schedules().nextDue(now), dispatcher.earliestPark())
                .flatMap(java.util.Optional::stream)
                .min(Instant::compareTo);
        return new EngineActivity(dispatcher.busyCount(), due);
    }
}
