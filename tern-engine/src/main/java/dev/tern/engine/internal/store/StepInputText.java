package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a step's input is stored. An agent calls its model (or a workflow its reply function) with the conversation so
 * far, so each call's input holds the last one's messages and a few more: stored whole, a conversation of n turns wrote
 * n²/2 messages (100 turns of 500 bytes: 5.4 MB of step inputs for a 109 KB conversation). An input that appends to the
 * arrays of an earlier step's input ({@link InputBase}, the last durable step of the same name) is stored as what it
 * appends ({@link AppendedArrays}), with the base's sequence and the fields so cut:
 *
 * <pre>~{"base":7,"appended":["messages"],"input":{"model":"m","messages":[…new messages…]}}</pre>
 *
 * <p>The leading {@code ~} cannot begin JSON, so a stored input is either JSON (whole) or this form, never both. A
 * run's steps are always read from its first in order ({@link Reader}), so the base is at hand when a step needs it,
 * and every reader sees whole inputs as before. Inputs stored whole stay readable as they are.
 */
public final class StepInputText {
    static final char MARK = '~';

    private StepInputText() {}

    /** The step whose input a later step of the same name may extend: its position and its (whole) input. */
    public record InputBase(int seq, JsonNode input) {}

    /** The text to store for {@code input}: what it appends to {@code base}'s, when it does. */
    static String write(JsonNode input, InputBase base) {
        AppendedArrays.Cut cut =
                base == null || !(input instanceof ObjectNode) ? null : AppendedArrays.cut(input, base.input());
        if (cut == null) return Json.writeNullable(input);
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("base", base.seq());
        cut.fields().forEach(envelope.putArray("appended")::add);
        envelope.set("input", cut.value());
        return MARK + Json.write(envelope);
    }

    /**
     * Reads the stored inputs of one run's steps, taken in order of their sequence: each whole input is kept so that a
     * later step stored against it is made whole again. One per read of a run's steps.
     */
    static final class Reader {
        private final Map<Integer, JsonNode> inputs = new HashMap<>();

        /** The whole input of step {@code seq}, from its stored text (null stays null). */
        JsonNode read(int seq, String stored) {
            JsonNode input = stored != null && !stored.isEmpty() && stored.charAt(0) == MARK
                    ? whole(seq, Json.parse(stored.substring(1)))
                    : Json.parse(stored);
            if (input instanceof ObjectNode) inputs.put(seq, input);
            return input;
        }

        private JsonNode whole(int seq, JsonNode envelope) {
            int baseSeq = envelope.path("base").asInt(-1);
            List<String> fields = new ArrayList<>();
            envelope.path("appended").forEach(f -> fields.add(f.asText()));
            JsonNode whole = AppendedArrays.restore(envelope.get("input"), fields, inputs.get(baseSeq));
            if (whole == null)
                throw new StoreException(
                        "step " + seq + "'s input extends step " + baseSeq + "'s, which was not read before it", null);
            return whole;
        }
    }
}
