package dev.tern.engine.internal.store;

import dev.tern.engine.ErrorInfo;
import dev.tern.engine.RunStatus;
import java.time.Instant;

/**
 * A run's end as its executing attempt asks for it: the run ends {@code status} with its output or error, after
 * {@code last}, the step checkpoint not written yet (or null), in one transaction.
 *
 * <p>{@code wakesNobody} is a fact of the run: it has no parent and no webhook, and started no children, so its end
 * changes no other run and queues no delivery (false when unsure). The store may end such a run faster; a wrong
 * {@code true} loses nothing but the end's atomicity with them.
 *
 * <p>{@code startedAs} is the run as its attempt started it (as read then, or as its creator was told it is), or
 * {@code null}. The store may take from it the columns a run's creation fixes, to hand back the run as it ended without
 * reading them from the row again.
 */
public record RunEnd(
        String runId,
        int attempt,
        RunStatus status,
        String outputJson,
        ErrorInfo error,
        Instant now,
        Checkpoint last,
        boolean wakesNobody,
        StoredRun startedAs) {

    /** An end the store itself decides (a cancel, a continuation): no checkpoint, and it may wake others. */
    static RunEnd of(String runId, int attempt, RunStatus status, String outputJson, ErrorInfo error, Instant now) {
        return new RunEnd(runId, attempt, status, outputJson, error, now, null, false, null);
    }
}
