package dev.tern.engine.internal.store;

import java.time.Instant;

/**
 * A run's suspension as its executing attempt asks for it: the run gives up its thread and owner until {@code wakeAt}
 * (null: until a signal), unless a signal arrived after {@code signalSeq} or the attempt lost the run; {@code last} is
 * a step checkpoint not written yet (or null), written with the suspension or not at all. A sleep longer than the
 * suspend grace holds its timer's checkpoint for this: beginning the timer and suspending on it are one write.
 */
public record Suspension(String runId, int attempt, Instant wakeAt, long signalSeq, Instant now, Checkpoint last) {

    /** Whether every node is told of the timer when the suspension commits: it is due too soon to wait for a poll. */
    boolean announced() {
        return wakeAt != null && wakeAt.isBefore(now.plus(RunClaims.NEAR_TIMER));
    }

    /** The parameters of {@link RunsSql#SUSPEND} (and of a statement built on it). */
    NamedSql.Params params() {
        return NamedSql.Params.of("wakeAt", wakeAt)
                .and("now", now)
                .and("runId", runId)
                .and("attempt", attempt)
                .and("signalSeq", signalSeq);
    }
}
