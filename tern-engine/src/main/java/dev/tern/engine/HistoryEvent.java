package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of a run's history, numbered by {@code eventSequence} (1, 2, 3… per run, no gaps). */
public record HistoryEvent(
        String runId,
        long eventSequence,
        HistoryEventType type,
        Instant at,
        Integer attempt,
        Integer stepSeq,
        JsonNode data) {}
