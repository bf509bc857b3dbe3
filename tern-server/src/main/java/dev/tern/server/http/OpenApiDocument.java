package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tern.engine.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi.json}: the Restack seed document as published, plus Tern's own routes and the
 * Restack event endpoint, read from the {@code openapi/tern-*.json} fragments (one per feature
 * area, each with {@code paths} and {@code schemas}).
 */
final class OpenApiDocument {
  private static final List<String> FRAGMENTS = List.of("tern-paths.json", "tern-agents.json", "tern-schedules.json", "tern-delivery.json");

  private OpenApiDocument() {}

  static ObjectNode build() {
    ObjectNode doc = (ObjectNode) read("openapi/restack-api.yaml", new ObjectMapper(new YAMLFactory()));
    doc.with("info").put("title", "Tern API (Restack-compatible)");
    for (String fragment : FRAGMENTS) {
      ObjectNode extra = (ObjectNode) read("openapi/" + fragment, Json.MAPPER);
      merge(doc.with("paths"), (ObjectNode) extra.get("paths"));
      merge(doc.with("components").with("schemas"), (ObjectNode) extra.get("schemas"));
    }
    return doc;
  }

  private static void merge(ObjectNode target, ObjectNode source) {
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode add) o.setAll(add);
      else target.set(e.getKey(), e.getValue());
    }
  }

  private static JsonNode read(String resource, ObjectMapper mapper) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
