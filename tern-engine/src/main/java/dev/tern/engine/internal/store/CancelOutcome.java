package dev.tern.engine.internal.store;

/** What a cancel request did. */
public enum CancelOutcome {
    /** The run was queued or suspended and is now cancelled. */
    CANCELLED,
    /** The run is executing; it has been asked to stop and will end cancelled. */
    REQUESTED,
    /** The run had already finished; nothing changed. */
    ALREADY_FINISHED,
    NOT_FOUND
}
