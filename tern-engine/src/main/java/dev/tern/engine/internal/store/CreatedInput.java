package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A run's input is stored once, in its row. Its {@code run_created} event used to carry a second copy, and an agent's
 * input of tens of kilobytes was written twice with every run (on SQLite, 100 KB inputs ran at less than half the rate
 * of runs whose event had none). The event is now stored without it and gets it back, from the run's row, when history
 * is read, so every reader sees the event as before. Events stored with their copy are read as they are.
 */
final class CreatedInput {
    /** The run's stored input, read only for a page that holds a {@code run_created} event stored without it. */
    static final String INPUT = "SELECT input FROM runs WHERE id = ?";

    private static final String FIELD = "input";

    private CreatedInput() {}

    /** {@code events} with the input restored into a {@code run_created} event stored without it. */
    static List<HistoryEvent> restored(List<HistoryEvent> events, Supplier<String> storedInput) {
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            if (e.type() != HistoryEventType.RUN_CREATED || !(e.data() instanceof ObjectNode data) || data.has(FIELD))
                continue;
            List<HistoryEvent> copy = new ArrayList<>(events);
            JsonNode input = Json.parse(storedInput.get());
            copy.set(
                    i,
                    new HistoryEvent(
                            e.runId(),
                            e.eventSequence(),
                            e.type(),
                            e.at(),
                            e.attempt(),
                            e.stepSeq(),
                            withInput(data, input == null ? NullNode.getInstance() : input)));
            return copy; // a run has one run_created event
        }
        return events;
    }

    /** The event's data with {@code input} where it was always written: after the run's kind and name. */
    private static ObjectNode withInput(ObjectNode stored, JsonNode input) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : stored.properties()) {
            data.set(field.getKey(), field.getValue());
            if (field.getKey().equals("name")) data.set(FIELD, input);
        }
        if (!data.has(FIELD)) data.set(FIELD, input);
        return data;
    }
}
