package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepRecord;

/** A step's checkpoint: its row and the history event that records it. */
public record Checkpoint(StepRecord step, HistoryEventType event, JsonNode data) {}
