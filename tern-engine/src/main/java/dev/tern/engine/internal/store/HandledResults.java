package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What an agent's event handler returned, as its {@code event_handled} event stores it. A chat handler returns the
 * conversation so far (Restack's chat agent does), so each turn's result holds the last one's and a few messages more:
 * stored whole, n turns wrote n²/2 messages. A result that appends to the arrays of the last result of the same event's
 * handler in the same execution ({@link AppendedArrays}) is stored as what it appends, with the fields so cut under
 * {@value #EXTENDS}; the base is implicit: the run's previous {@code event_handled} event of that event name with a
 * result, which the same execution wrote before it, in order, on the same writer (after a restart the first result is
 * stored whole). Reading history gives every event its whole result back ({@link #restored}), reading the run's earlier
 * handled events once for a page that holds an event whose base lies before it, and building their results on one
 * another in place, in the time of what they append.
 */
public final class HandledResults {
    /** The data field naming the result's fields that continue the last result. */
    static final String EXTENDS = "resultExtends";

    private static final String RESULT = "result";
    private static final String EVENT = "eventName";

    /** The run's handled events before a sequence, in order: the bases of a page's first ones. */
    static final String EARLIER =
            "SELECT data FROM history WHERE run_id = ? AND type = 'event_handled' AND event_seq < ?"
                    + " ORDER BY event_seq";

    private HandledResults() {}

    /**
     * The data to store for a handled event, {@code data} holding its whole {@code result}: the result as what it
     * appends to {@code previous} (the last result of this event's handler that this execution recorded), when it does.
     */
    public static ObjectNode stored(ObjectNode data, JsonNode previous) {
        JsonNode result = data.get(RESULT);
        AppendedArrays.Cut cut = previous == null || result == null ? null : AppendedArrays.cut(result, previous);
        if (cut == null) return data;
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        data.properties().forEach(f -> stored.set(f.getKey(), f.getKey().equals(RESULT) ? cut.value() : f.getValue()));
        cut.fields().forEach(stored.putArray(EXTENDS)::add);
        return stored;
    }

    /**
     * {@code events} with each handled event's whole result; {@code earlier} reads the stored data of the run's handled
     * events before a sequence (called at most once).
     */
    static List<HistoryEvent> restored(List<HistoryEvent> events, LongFunction<List<JsonNode>> earlier) {
        Map<String, JsonNode> last = new HashMap<>();
        Map<String, JsonNode> beforePage = null;
        long firstHandled = -1;
        List<HistoryEvent> out = null;
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            if (e.type() != HistoryEventType.EVENT_HANDLED || !(e.data() instanceof ObjectNode data)) continue;
            if (firstHandled < 0) firstHandled = e.eventSequence();
            if (beforePage == null
                    && data.has(EXTENDS)
                    && !last.containsKey(data.path(EVENT).asText())) {
                beforePage = new HashMap<>(); // its base lies before the page: read the run's handled events up to it
                for (JsonNode before : earlier.apply(firstHandled)) fold(before, beforePage);
            }
            ObjectNode whole = whole(data, last, beforePage == null ? Map.of() : beforePage);
            if (whole == data) continue;
            if (out == null) out = new ArrayList<>(events);
            out.set(
                    i,
                    new HistoryEvent(e.runId(), e.eventSequence(), e.type(), e.at(), e.attempt(), e.stepSeq(), whole));
        }
        return out == null ? events : out;
    }

    /**
     * Notes the whole result of a handled event before the page as its event's last in {@code last}, built on the last
     * one in place: those results are nobody else's, and a run's thousandth turn would otherwise copy every turn's
     * conversation before it, for every page after it.
     */
    private static void fold(JsonNode stored, Map<String, JsonNode> last) {
        if (!(stored instanceof ObjectNode data) || !data.has(RESULT)) return;
        String event = data.path(EVENT).asText();
        JsonNode result = data.get(RESULT);
        if (data.has(EXTENDS)) {
            result = AppendedArrays.extendInPlace(result, fields(data), last.get(event));
            if (result == null) throw notRead(event);
        }
        last.put(event, result);
    }

    /**
     * The handled event's data with its whole result, noting that result as its event's last in {@code last}; a base
     * not in {@code last} is looked up in {@code earlier}.
     */
    private static ObjectNode whole(JsonNode stored, Map<String, JsonNode> last, Map<String, JsonNode> earlier) {
        if (!(stored instanceof ObjectNode data)) return null; // no handled event's data: nothing to note
        if (!data.has(RESULT)) return data;
        String event = data.path(EVENT).asText();
        if (!data.has(EXTENDS)) {
            last.put(event, data.get(RESULT));
            return data;
        }
        JsonNode base = last.containsKey(event) ? last.get(event) : earlier.get(event);
        JsonNode result = AppendedArrays.restore(data.get(RESULT).deepCopy(), fields(data), base);
        if (result == null) throw notRead(event);
        last.put(event, result);
        ObjectNode whole = JsonNodeFactory.instance.objectNode();
        data.properties().forEach(f -> {
            if (f.getKey().equals(RESULT)) whole.set(RESULT, result);
            else if (!f.getKey().equals(EXTENDS)) whole.set(f.getKey(), f.getValue());
        });
        return whole;
    }

    private static List<String> fields(ObjectNode data) {
        List<String> fields = new ArrayList<>();
        data.get(EXTENDS).forEach(f -> fields.add(f.asText()));
        return fields;
    }

    private static StoreException notRead(String event) {
        return new StoreException("a handled '" + event + "' event extends a result that was not read before it", null);
    }
}
