package dev.tern.engine;

import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import java.time.Clock;

/**
 * Cancelling a run on request: a queued or suspended run ends at once, and whoever waits for it is woken; a running one
 * is asked to stop, and the node executing it (this one, or another that the store tells) ends it at its next step. A
 * finished run stays as it is.
 */
final class RunCancellation {
    private final RunStore store;
    private final Dispatcher dispatcher;
    private final FinishWatch finishes;
    private final Clock clock;

    RunCancellation(RunStore store, Dispatcher dispatcher, FinishWatch finishes, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.finishes = finishes;
        this.clock = clock;
    }

    /** Cancels {@code runId} once it is durable; {@link RunNotFoundException} if there is no such run. */
    void cancel(String runId) {
        switch (Futures.await(store.requestCancel(runId, "cancelled by request", clock.instant()))) {
            case NOT_FOUND -> throw new RunNotFoundException(runId);
            case CANCELLED -> finishes.finished(runId);
            case REQUESTED -> {
                dispatcher.cancelLocal(runId);
                dispatcher.signal(runId);
            }
            case ALREADY_FINISHED -> {}
        }
    }
}
