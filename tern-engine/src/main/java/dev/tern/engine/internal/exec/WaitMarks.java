package dev.tern.engine.internal.exec;

import dev.tern.engine.RunWait;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.WaitChange;
import java.time.Instant;

/**
 * The sleep, event or child wait the store has recorded for a run, so that each wait is written once: when it begins
 * (with the checkpoint that starts it, or a write nobody waits for) and when it ends (with the checkpoint that ends
 * it). A replay that comes back to the wait it suspended on finds it already recorded and keeps its start time.
 */
final class WaitMarks {
    private final RunStore store;
    private final String runId;
    private final int attempt;
    /** What the store has (or will have once queued writes commit); null: no wait. */
    private String recorded;

    WaitMarks(RunStore store, String runId, int attempt, RunWait stored) {
        this.store = store;
        this.runId = runId;
        this.attempt = attempt;
        this.recorded = stored != null && stored.onDependency() ? stored.waitingOn() : null;
    }

    /**
     * The run now waits on {@code on} (a timer) since {@code since}: the change for the checkpoint that starts the
     * wait; null if recorded.
     */
    WaitChange begin(String on, Instant since) {
        if (on.equals(recorded)) return null;
        recorded = on;
        return WaitChange.begin(on, since);
    }

    /**
     * The run waits in its thread on {@code on} (an event, a child run) since {@code since}, with no checkpoint to
     * carry it: noted by a write nobody waits for (only when the wait is real: an event already there is taken without
     * one), before the suspension, if any, in order.
     */
    void note(String on, Instant since) {
        if (begin(on, since) != null) store.noteWaiting(runId, attempt, on, since);
    }

    /** The change for the checkpoint that ends a wait: clears the recorded wait, if there is one. */
    WaitChange end(Instant at) {
        if (recorded == null) return null;
        recorded = null;
        return WaitChange.end(at);
    }
}
