package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * n²/2 messages (100 turns of 500 bytes: 5.4 MB of step inputs for a 55 KB conversation). An input whose array fields
 * each begin with the whole of that field in an earlier step's input ({@link InputBase}, the last durable step of the
 * same name) is stored as those arrays' new elements only, with the base's sequence and the fields so cut:
 *
 * <pre>~{"base":7,"appended":["messages"],"input":{"model":"m","messages":[…new messages…]}}</pre>
 *
 * <p>The leading {@code ~} cannot begin JSON, so a stored input is either JSON (whole) or this form, never both. A
 * run's steps are always read from its first in order ({@link Reader}), so the base is at hand when a step needs it,
 * and every reader sees whole inputs as before. Inputs stored whole stay readable as they are.
 */
public final class StepInputText {
    static final char MARK = '~';

    /**
     * Fewer bytes than this cut (about: {@link #approximateLength}): stored whole, as the envelope and a base to
     * resolve are not worth it.
     */
    static final int MIN_SAVED_BYTES = 256;

    private StepInputText() {}

    /** The step whose input a later step of the same name may extend: its position and its (whole) input. */
    public record InputBase(int seq, JsonNode input) {}

    /** The text to store for {@code input}: compact against {@code base} when its arrays extend the base's. */
    static String write(JsonNode input, InputBase base) {
        if (base == null || !(input instanceof ObjectNode in) || !(base.input() instanceof ObjectNode from))
            return Json.writeNullable(input);
        ObjectNode cut = JsonNodeFactory.instance.objectNode();
        List<String> appended = new ArrayList<>();
        long saved = 0;
        for (Map.Entry<String, JsonNode> field : in.properties()) {
            JsonNode value = field.getValue();
            if (value instanceof ArrayNode now
                    && from.get(field.getKey()) instanceof ArrayNode before
                    && !before.isEmpty()
                    && startsWith(now, before)) {
                ArrayNode tail = cut.putArray(field.getKey());
                for (int i = before.size(); i < now.size(); i++) tail.add(now.get(i));
                for (JsonNode kept : before) saved += approximateLength(kept);
                appended.add(field.getKey());
            } else {
                cut.set(field.getKey(), value);
            }
        }
        if (saved < MIN_SAVED_BYTES) return Json.writeNullable(input); // whole: nothing cut, or too little
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("base", base.seq());
        appended.forEach(envelope.putArray("appended")::add);
        envelope.set("input", cut);
        return MARK + Json.write(envelope);
    }

    /** About the length of {@code node} as JSON, without writing it: its text and names, a few bytes for the rest. */
    private static long approximateLength(JsonNode node) {
        if (node.isTextual()) return node.textValue().length() + 3L;
        if (!node.isContainerNode()) return 8;
        long length = 2;
        for (Map.Entry<String, JsonNode> field : node.properties())
            length += field.getKey().length() + 3L;
        for (JsonNode child : node) length += approximateLength(child);
        return length;
    }

    private static boolean startsWith(ArrayNode array, ArrayNode prefix) {
        if (prefix.size() > array.size()) return false;
        for (int i = 0; i < prefix.size(); i++) if (!prefix.get(i).equals(array.get(i))) return false;
        return true;
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
            if (!(inputs.get(baseSeq) instanceof ObjectNode base) || !(envelope.get("input") instanceof ObjectNode cut))
                throw new StoreException(
                        "step " + seq + "'s input extends step " + baseSeq + "'s, which was not read before it", null);
            for (JsonNode name : envelope.path("appended")) {
                String field = name.asText();
                ArrayNode all = JsonNodeFactory.instance.arrayNode();
                if (base.get(field) instanceof ArrayNode before) all.addAll(before);
                if (cut.get(field) instanceof ArrayNode tail) all.addAll(tail);
                cut.set(field, all); // in its place: the input's fields keep their order
            }
            return cut;
        }
    }
}
