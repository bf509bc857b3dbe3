package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * Reads request bodies: a JSON object or nothing; anything else is a 4xx naming what is wrong. Every route reads its
 * body here, never through {@code ctx.body()}, so that no body escapes the limits of {@link BodyReader},
 * {@link JsonBodyParser} and {@link StorableText}.
 */
final class Bodies {
    private Bodies() {}

    /**
     * The body as a JSON object, empty for an empty body. It is read with the size limit, parsed with the nesting
     * limit, and every member name and string in it must be storable text.
     */
    static ObjectNode object(Context ctx) {
        byte[] bytes = BodyReader.read(ctx);
        if (blank(bytes)) return JsonNodeFactory.instance.objectNode();
        JsonNode node = JsonBodyParser.parse(bytes);
        if (node == null || !node.isObject()) throw ApiException.badRequest("$", "the body must be a JSON object");
        StorableText.requireTree("$", node);
        return (ObjectNode) node;
    }

    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return false;
        }
        return true;
    }

    /** The member {@code field} as an object; absent or null means an empty object. */
    static ObjectNode objectField(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return JsonNodeFactory.instance.objectNode();
        if (!value.isObject())
            throw ApiException.badRequest(
                    "$." + field,
                    "must be a JSON object, was " + value.getNodeType().name().toLowerCase());
        return (ObjectNode) value;
    }

    static String requiredText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) throw ApiException.badRequest("$." + field, "is required");
        if (!value.isTextual() || value.asText().isBlank())
            throw ApiException.badRequest("$." + field, "must be a non-empty string");
        return value.asText();
    }

    /** The member {@code field} as a string; absent or null is null. */
    static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual())
            throw ApiException.badRequest(
                    "$." + field,
                    "must be a string, was " + value.getNodeType().name().toLowerCase());
        return value.asText();
    }

    /**
     * Refuses members of {@code body} not in {@code known}, naming each: a misspelt option would otherwise be ignored
     * silently.
     */
    static void requireKnownFields(ObjectNode body, java.util.List<String> known) {
        java.util.List<dev.tern.engine.Violation> unknown = new java.util.ArrayList<>();
        String hint = "unknown field; known fields are " + String.join(", ", known);
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) unknown.add(new dev.tern.engine.Violation("$." + f, hint));
        });
        if (unknown.isEmpty()) return;
        String detail = unknown.size() == 1
                ? unknown.get(0).field() + ": " + hint
                : "unknown fields "
                        + String.join(
                                ", ",
                                unknown.stream()
                                        .map(dev.tern.engine.Violation::field)
                                        .toList()) + "; known fields are " + String.join(", ", known);
        throw new dev.tern.engine.InvalidInputException(detail, unknown);
    }
}
