package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.util.List;

/**
 * A step's checkpoint: its row and the history event that records it. {@code started} is the step's lazily queued
 * "started" event (or null); if it is still queued when the checkpoint is written, the checkpoint writes it, in order,
 * in the same statement. {@code waitChange} (or null) is the change to what the run waits on that the step begins or
 * ends, written with it too. {@code next} (or null) is the "started" event of the step that follows, written last in
 * the same commit (see {@link #followedBy}). {@code inputText} is the text the step's input is stored as, made on the
 * run's thread ({@link #storedAgainst}) rather than the writer's; null: written whole when the write is made.
 */
public record Checkpoint(
        StepRecord step,
        HistoryEventType event,
        JsonNode data,
        QueuedEvent started,
        WaitChange waitChange,
        HistoryAppend next,
        String inputText) {

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data) {
        this(step, event, data, null, null, null, null);
    }

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data, QueuedEvent started) {
        this(step, event, data, started, null, null, null);
    }

    public Checkpoint(StepRecord step, HistoryEventType event, JsonNode data, WaitChange waitChange) {
        this(step, event, data, null, waitChange, null, null);
    }

    /**
     * This checkpoint, its step's input stored as what it adds to {@code base}'s where it extends it, else whole (also
     * for a null {@code base}): see {@link StepInputText}.
     */
    public Checkpoint storedAgainst(StepInputText.InputBase base) {
        return new Checkpoint(step, event, data, started, waitChange, next, StepInputText.write(step.input(), base));
    }

    /** The text its step's input is stored as. */
    String storedInput() {
        return inputText != null ? inputText : Json.writeNullable(step.input());
    }

    /**
     * This checkpoint, then the next step's "started" event in the same commit: a step that starts while the previous
     * one's checkpoint is still unwritten makes its start durable with it, instead of queueing it lazily for a commit
     * of its own once the step outlasts the writer's linger (every model call does).
     */
    public Checkpoint followedBy(HistoryEventType type, java.time.Instant at, int stepSeq, JsonNode eventData) {
        return new Checkpoint(
                step, event, data, started, waitChange, new HistoryAppend(type, at, stepSeq, eventData), inputText);
    }

    /** {@link #takeEvents} of a run's last checkpoint, or none when it has none. */
    static List<HistoryAppend> takeEventsOf(Checkpoint last) {
        return last == null ? List.of() : last.takeEvents();
    }

    /**
     * The events to write, in order: the step's queued "started" event if this call takes it over (it is then written
     * here, and its lazy write dropped), then the one recording the step, then the next step's start if it follows.
     * Called once, when the checkpoint is submitted, so that the lazy write still queued sees it taken.
     */
    List<HistoryAppend> takeEvents() {
        java.time.Instant at = step.completedAt() != null ? step.completedAt() : step.startedAt();
        HistoryAppend recorded = new HistoryAppend(event, at, step.seq(), data);
        boolean takeStarted = started != null && started.claim();
        if (next == null) return takeStarted ? List.of(started.append(), recorded) : List.of(recorded);
        return takeStarted ? List.of(started.append(), recorded, next) : List.of(recorded, next);
    }
}
