package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A history event queued to be written lazily (a step's "started") that the step's own checkpoint may take over while
 * it is still queued, writing both events in one statement. Exactly one of the two writes it: whichever claims it
 * first.
 */
public final class QueuedEvent {
    private final HistoryAppend event;
    private final AtomicBoolean claimed = new AtomicBoolean();

    QueuedEvent(HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {
        this.event = new HistoryAppend(type, at, stepSeq, data);
    }

    /** True for the one caller that is to write the event. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** True once a write has claimed it: the lazy write it was queued as has nothing left to do. */
    boolean isClaimed() {
        return claimed.get();
    }

    /** The event as a row to append, for the write that claimed it. */
    HistoryAppend append() {
        return event;
    }
}
