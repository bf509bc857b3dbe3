package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.store.Checkpoint;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A completed step's checkpoint held until the workflow next calls its context, which writes it and waits for it before
 * doing anything else, or ends, when it shares the run's final commit. Code between two context calls has no side
 * effects, so nothing can observe the difference, and a one-step run needs one commit fewer. When the next call is
 * another step, its start is written with it ({@link #writeStarting}): one commit per step, not two.
 */
final class DeferredCheckpoint {
    private final Consumer<Checkpoint> record;
    private Checkpoint pending;

    /** {@code record} writes a checkpoint durably (and stops the execution if the run was lost). */
    DeferredCheckpoint(Consumer<Checkpoint> record) {
        this.record = record;
    }

    /** Holds {@code checkpoint}, after writing the one held before, if any. */
    void hold(Checkpoint checkpoint) {
        write();
        pending = checkpoint;
    }

    /** Writes the held checkpoint, if any, and waits until it is durable. */
    void write() {
        Checkpoint p = take();
        if (p != null) record.accept(p);
    }

    /**
     * Writes the held checkpoint followed by the next step's "started" event and waits until both are durable; false
     * (nothing written) if none is held.
     */
    boolean writeStarting(HistoryEventType type, Instant at, int stepSeq, JsonNode data) {
        Checkpoint p = take();
        if (p == null) return false;
        record.accept(p.followedBy(type, at, stepSeq, data));
        return true;
    }

    /** The held checkpoint (or null), no longer held: to be written with the run's end. */
    Checkpoint take() {
        Checkpoint p = pending;
        pending = null;
        return p;
    }
}
