package dev.tern.engine.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A plain tree (what {@link TreeText} writes itself) copied as the mapper parses its text back, without writing or
 * parsing text: objects and arrays copied, an integer in {@code int} range an {@code IntNode} and a larger one a
 * {@code LongNode} whatever node held it, a finite double a {@code DoubleNode}, strings, booleans and nulls shared
 * (they are immutable). A run's creator hands the run it wrote to the run's execution and to its caller as a read would
 * find it; parsing back the input it had just written was a tenth of the CPU of a run whose input is a 100 KiB
 * document.
 */
final class ParsedCopy {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParsedCopy() {}

    /** The copy, or null if the tree holds a value the writer leaves to the mapper (then only parsing tells). */
    static JsonNode of(JsonNode tree) {
        return copy(tree, 0);
    }

    private static JsonNode copy(JsonNode node, int depth) {
        if (depth > TreeText.MAX_DEPTH) return null; // as deep as the writer writes; deeper trees are parsed
        switch (node.getNodeType()) {
            case OBJECT -> {
                ObjectNode copy = NODES.objectNode();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    JsonNode value = copy(field.getValue(), depth + 1);
                    if (value == null) return null;
                    copy.set(field.getKey(), value);
                }
                return copy;
            }
            case ARRAY -> {
                ArrayNode copy = NODES.arrayNode(node.size());
                for (int i = 0; i < node.size(); i++) {
                    JsonNode value = copy(node.get(i), depth + 1);
                    if (value == null) return null;
                    copy.add(value);
                }
                return copy;
            }
            case STRING, BOOLEAN, NULL -> {
                return node;
            }
            case NUMBER -> {
                return number(node);
            }
            default -> {
                return null;
            }
        }
    }

    private static JsonNode number(JsonNode node) {
        if (node.isInt() || node.isLong() || node.isShort()) {
            long value = node.longValue();
            return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
        }
        if (node.isDouble() && Double.isFinite(node.doubleValue())) return DoubleNode.valueOf(node.doubleValue());
        return null;
    }
}
