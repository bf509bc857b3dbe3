package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * A JSON value that continues an earlier one by appending to its arrays, as a conversation continues the last turn's,
 * kept as what it appends: an object whose array fields begin with the whole of the same field in the earlier object
 * keeps only those arrays' new elements (the fields so cut named), an array that begins with the whole earlier array
 * keeps its new elements (named {@link #WHOLE}). {@link #restore} with the earlier value gives the value back.
 */
final class AppendedArrays {
    /** The name of a cut that is the value itself, an array. */
    static final String WHOLE = "";

    /** Fewer bytes than this cut (about: {@link #approximateLength}): not worth a base to resolve. */
    static final int MIN_SAVED_BYTES = 256;

    private AppendedArrays() {}

    /** {@code value} with what {@code before} holds cut from its arrays, and the fields so cut. */
    record Cut(JsonNode value, List<String> fields) {}

    /** {@code now} as what it appends to {@code before}, or null: it does not, or too little would be saved. */
    static Cut cut(JsonNode now, JsonNode before) {
        if (now instanceof ArrayNode array && before instanceof ArrayNode earlier) {
            if (!extendsBy(array, earlier)) return null;
            return new Cut(tail(array, earlier.size()), List.of(WHOLE));
        }
        if (!(now instanceof ObjectNode in) || !(before instanceof ObjectNode from)) return null;
        ObjectNode cut = JsonNodeFactory.instance.objectNode();
        List<String> fields = new ArrayList<>();
        long saved = 0;
        for (Map.Entry<String, JsonNode> field : in.properties()) {
            JsonNode value = field.getValue();
            if (value instanceof ArrayNode array
                    && from.get(field.getKey()) instanceof ArrayNode earlier
                    && !earlier.isEmpty()
                    && startsWith(array, earlier)) {
                cut.set(field.getKey(), tail(array, earlier.size()));
                saved += savedBy(earlier, MIN_SAVED_BYTES - saved);
                fields.add(field.getKey());
            } else {
                cut.set(field.getKey(), value);
            }
        }
        return saved < MIN_SAVED_BYTES ? null : new Cut(cut, fields);
    }

    /** The whole value of {@code cut} (the named fields' elements after {@code before}'s), or null if it cannot be. */
    static JsonNode restore(JsonNode cut, Iterable<String> fields, JsonNode before) {
        return rebuilt(cut, fields, before, AppendedArrays::joined);
    }

    /**
     * The whole value of {@code cut} built on {@code before} in place: {@code before}'s arrays take the cut's new
     * elements and become the whole value's, so a chain of cuts is restored in the time of what they append, not of
     * every whole value along it. For values nobody else holds (a base no reader is given); null if it cannot be.
     */
    static JsonNode extendInPlace(JsonNode cut, Iterable<String> fields, JsonNode before) {
        return rebuilt(cut, fields, before, ArrayNode::addAll);
    }

    /** {@code cut} with each named field's array {@code join}ed after {@code before}'s, or null if it cannot be. */
    private static JsonNode rebuilt(
            JsonNode cut, Iterable<String> fields, JsonNode before, BinaryOperator<ArrayNode> join) {
        for (String field : fields) {
            if (field.equals(WHOLE)) {
                return before instanceof ArrayNode earlier && cut instanceof ArrayNode tail
                        ? join.apply(earlier, tail)
                        : null;
            }
            if (!(cut instanceof ObjectNode object)
                    || !(before instanceof ObjectNode from)
                    || !(from.get(field) instanceof ArrayNode earlier)
                    || !(object.get(field) instanceof ArrayNode tail)) return null;
            object.set(field, join.apply(earlier, tail)); // in its place: the fields keep their order
        }
        return cut;
    }

    private static boolean extendsBy(ArrayNode array, ArrayNode earlier) {
        return !earlier.isEmpty() && startsWith(array, earlier) && savedBy(earlier, MIN_SAVED_BYTES) >= MIN_SAVED_BYTES;
    }

    /**
     * About how many bytes cutting {@code kept} saves, counted only until {@code enough}: whether a cut is worth its
     * base is all it decides, and counting a conversation's every earlier message at every step made each step's cut
     * grow with the conversation (a tenth of the CPU of workload 11).
     */
    private static long savedBy(ArrayNode kept, long enough) {
        long saved = 0;
        for (int i = 0; i < kept.size() && saved < enough; i++) saved += approximateLength(kept.get(i), enough - saved);
        return saved;
    }

    private static ArrayNode tail(ArrayNode array, int from) {
        ArrayNode tail = JsonNodeFactory.instance.arrayNode();
        for (int i = from; i < array.size(); i++) tail.add(array.get(i));
        return tail;
    }

    private static ArrayNode joined(ArrayNode earlier, ArrayNode tail) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode(earlier.size() + tail.size());
        all.addAll(earlier);
        all.addAll(tail);
        return all;
    }

    /**
     * About the length of {@code node} as JSON, without writing it: its text and names, a few bytes for the rest;
     * counted until it reaches {@code enough}.
     */
    private static long approximateLength(JsonNode node, long enough) {
        if (node.isTextual()) return node.textValue().length() + 3L;
        if (!node.isContainerNode()) return 8;
        long length = 2;
        for (Map.Entry<String, JsonNode> field : node.properties())
            length += field.getKey().length() + 3L;
        for (Iterator<JsonNode> children = node.elements(); children.hasNext() && length < enough; )
            length += approximateLength(children.next(), enough - length);
        return length;
    }

    private static boolean startsWith(ArrayNode array, ArrayNode prefix) {
        if (prefix.size() > array.size()) return false;
        for (int i = 0; i < prefix.size(); i++) if (!prefix.get(i).equals(array.get(i))) return false;
        return true;
    }
}
