package dev.tern.engine.internal.store;

import java.time.Instant;
import java.util.Set;

/**
 * An agent run continuing as new: {@code runId} (owned by {@code attempt}) ends completed and {@code nextRunId} starts
 * with {@code stateJson} carried over and the events the old run had not consumed yet.
 */
public record Continuation(
        String runId, int attempt, String nextRunId, String stateJson, Set<Long> consumedEvents, Instant now) {
    /** The name of step 0 of a continued run, which holds the carried state. */
    public static final String STATE_STEP = "carried-state";

    public Continuation {
        consumedEvents = Set.copyOf(consumedEvents);
    }
}
