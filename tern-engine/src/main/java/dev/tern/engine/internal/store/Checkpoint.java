package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepRecord;
import java.util.List;

/**
 * A step's checkpoint: its row and the history event that records it. {@code started} is the step's lazily queued
 * "started" event (or null); if it is still queued when the checkpoint is written, the checkpoint writes it, in order,
 * in the same statement. {@code waitChange} (or null) is the change to what the run waits on that the step begins or
 * ends, written with it too.
 */
public record Checkpoint(
        StepRecord step, HistoryEventType event, JsonNode data, QueuedEvent started, WaitChange waitChange) {

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data) {
        this(step, event, data, null, null);
    }

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data, QueuedEvent started) {
        this(step, event, data, started, null);
    }

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data, WaitChange waitChange) {
        this(step, event, data, null, waitChange);
    }

    /**
     * The events to write, in order: the step's queued "started" event if this call takes it over (it is then written
     * here, and its lazy write dropped), then the one recording the step. Called once, when the checkpoint is
     * submitted, so that the lazy write still queued sees it taken.
     */
    List<HistoryAppend> takeEvents() {
        java.time.Instant at = step.completedAt() != null ? step.completedAt() : step.startedAt();
        HistoryAppend recorded = new HistoryAppend(event, at, step.seq(), data);
        return started != null && started.claim() ? List.of(started.append(), recorded) : List.of(recorded);
    }
}
