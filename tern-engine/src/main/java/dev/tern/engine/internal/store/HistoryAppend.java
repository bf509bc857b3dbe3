package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.time.Instant;

/**
 * One history event to append with the next sequence number of its run. Its data is written as JSON text when the event
 * is made, on the thread that made it (the run's, mostly), so the store's single writer only binds the text.
 */
public record HistoryAppend(HistoryEventType type, Instant at, Integer stepSeq, JsonNode data, String dataJson) {

    public HistoryAppend(HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {
        this(type, at, stepSeq, data, data == null ? null : Json.write(data));
    }
}
