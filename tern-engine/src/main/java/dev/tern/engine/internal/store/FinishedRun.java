package dev.tern.engine.internal.store;

/**
 * What ending a run did: whether it ended (false: its attempt had lost it, or it had ended already) and, where the
 * store's end statement handed the row back, the run as it ended ({@code null}: read it when it is wanted). Whoever
 * waits for the run's end on this node then has it without reading it again.
 */
public record FinishedRun(boolean ended, StoredRun run) {
    /** Nothing ended. */
    static final FinishedRun NOT_ENDED = new FinishedRun(false, null);
    /** The run ended; the store did not read it back. */
    static final FinishedRun ENDED = new FinishedRun(true, null);
}
