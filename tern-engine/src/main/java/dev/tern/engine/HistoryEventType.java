package dev.tern.engine;

import java.util.Locale;

/** Every kind of change a run's history records. */
public enum HistoryEventType {
    RUN_CREATED,
    ATTEMPT_STARTED,
    STEP_STARTED,
    STEP_COMPLETED,
    STEP_RETRYING,
    STEP_FAILED,
    TIMER_STARTED,
    RUN_SUSPENDED,
    EVENT_RECEIVED,
    EVENT_HANDLED,
    CANCEL_REQUESTED,
    INTERACTION_OPENED,
    INTERACTION_ANSWERED,
    INTERACTION_TIMED_OUT,
    CHILD_STARTED,
    WAITING_ON_LIMIT,
    LIMIT_ACQUIRED,
    CONTINUED_AS_NEW,
    /** A forked run's first event: which of the original's steps and events it took. */
    FORKED,
    /** Code called {@code ctx.patched(id)} for the first time at this point: it takes the patch's new path. */
    PATCH_MARKER,
    RUN_COMPLETED,
    RUN_FAILED,
    RUN_CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wire;
    }

    public static HistoryEventType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
