package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import java.time.Instant;

/** One history event to append with the next sequence number of its run. */
public record HistoryAppend(HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {}
