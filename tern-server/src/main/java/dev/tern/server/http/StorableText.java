package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Client text that the stores can hold as given. PostgreSQL text cannot contain U+0000, and an unpaired UTF-16
 * surrogate has no UTF-8 form (a driver would silently turn it into '?'), so a string, JSON member name or parameter
 * with either is refused at the door with a 400 naming it, on every store alike, instead of failing (or being altered)
 * in the store.
 */
final class StorableText {
    private StorableText() {}

    /** What is wrong with {@code text}, or null if a store can hold it. */
    static String problem(String text) {
        // most text has neither NUL nor a surrogate: one comparison a character finds the first that needs a look
        int i = 0;
        for (int n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) break;
        }
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) return "must not contain the NUL character (U+0000)";
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    /** Refuses {@code text} with a 400 naming {@code field} if a store cannot hold it. */
    static void require(String field, String text) {
        if (text == null) return;
        String problem = problem(text);
        if (problem != null) throw ApiException.badRequest(field, problem);
    }

    /**
     * Checks every member name and string in {@code node}, whose JSON path is {@code path}. Paths are made only to name
     * what is refused: a body is walked once without them, and again with them only if something in it is refused.
     */
    static void requireTree(String path, JsonNode node) {
        if (!storable(node)) refuse(path, node);
    }

    /** Whether a store can hold every member name and string in {@code node}. */
    private static boolean storable(JsonNode node) {
        if (node.isTextual()) return problem(node.textValue()) == null;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (problem(member.getKey()) != null || !storable(member.getValue())) return false;
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) if (!storable(element)) return false;
        }
        return true;
    }

    /** Refuses the first member name or string in {@code node} a store cannot hold, naming its path. */
    private static void refuse(String path, JsonNode node) {
        if (node.isTextual()) {
            require(path, node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                String name = member.getKey();
                String problem = problem(name);
                if (problem != null) throw ApiException.badRequest(path, "has a member name that " + problem);
                refuse(JsonPaths.member(path, name), member.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) refuse(path + "[" + i + "]", node.get(i));
        }
    }
}
