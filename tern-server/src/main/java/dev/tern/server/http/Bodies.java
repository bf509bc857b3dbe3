package dev.tern.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import io.javalin.http.Context;
import java.io.IOException;

/** Reads request bodies: a JSON object or nothing; anything else is a 400 naming what is wrong. */
final class Bodies {
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Bodies() {}

  static ObjectNode object(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node;
    try {
      node = READER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.malformedJson("request body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw ApiException.malformedJson("request body could not be read: " + e.getMessage());
    }
    if (node == null || !node.isObject()) throw ApiException.badRequest("$", "the body must be a JSON object");
    return (ObjectNode) node;
  }

  /** The member {@code field} as an object; absent or null means an empty object. */
  static ObjectNode objectField(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return JsonNodeFactory.instance.objectNode();
    if (!value.isObject()) throw ApiException.badRequest("$." + field, "must be a JSON object, was " + value.getNodeType().name().toLowerCase());
    return (ObjectNode) value;
  }

  static String requiredText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) throw ApiException.badRequest("$." + field, "is required");
    if (!value.isTextual() || value.asText().isBlank()) throw ApiException.badRequest("$." + field, "must be a non-empty string");
    return value.asText();
  }

  /** The member {@code field} as a string; absent or null is null. */
  static String optionalText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw ApiException.badRequest("$." + field, "must be a string, was " + value.getNodeType().name().toLowerCase());
    return value.asText();
  }

  /**
   * Refuses members of {@code body} not in {@code known}, naming each: a misspelt option would
   * otherwise be ignored silently.
   */
  static void requireKnownFields(ObjectNode body, java.util.List<String> known) {
    java.util.List<dev.tern.engine.Violation> unknown = new java.util.ArrayList<>();
    String hint = "unknown field; known fields are " + String.join(", ", known);
    body.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) unknown.add(new dev.tern.engine.Violation("$." + f, hint));
    });
    if (unknown.isEmpty()) return;
    String detail = unknown.size() == 1 ? unknown.get(0).field() + ": " + hint
        : "unknown fields " + String.join(", ", unknown.stream().map(dev.tern.engine.Violation::field).toList())
            + "; known fields are " + String.join(", ", known);
    throw new dev.tern.engine.InvalidInputException(detail, unknown);
  }
}
