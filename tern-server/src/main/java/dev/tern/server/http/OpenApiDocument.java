package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tern.engine.TernJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi.json}: the Restack seed document exactly as published ({@code openapi/restack-api.yaml}), plus the
 * {@code openapi/tern-*.json} fragments (one per feature area). A fragment has {@code paths} and any of
 * {@code schemas}, {@code responses}, {@code parameters} (merged under {@code components}). Fragments only add: objects
 * merge member by member, arrays gain the entries they lack (parameters by name and location), and a fragment that
 * would change a value already there fails the build of the document. {@code tern-restack.json} adds to Restack's own
 * routes what Tern accepts and returns besides the seed (the run options next to {@code input}, {@code waitSeconds},
 * problem responses, 400, 409, 413 and 503).
 */
final class OpenApiDocument {
    private static final List<String> FRAGMENTS = List.of(
            "tern-common.json",
            "tern-paths.json",
            "tern-views.json",
            "tern-agents.json",
            "tern-schedules.json",
            "tern-delivery.json",
            "tern-restack.json");
    private static final List<String> COMPONENTS = List.of("schemas", "responses", "parameters");

    private OpenApiDocument() {}

    static ObjectNode build() {
        ObjectNode doc = (ObjectNode) read("openapi/restack-api.yaml", new ObjectMapper(new YAMLFactory()).reader());
        doc.with("info").put("title", "Tern API (Restack-compatible)");
        // /mcp is a JSON-RPC endpoint (MCP), not a REST route: described here, not under paths
        doc.set(
                "x-mcp",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("path", "/mcp")
                        .put("transport", "streamable-http")
                        .put("protocolVersion", "2025-11-25")
                        .put(
                                "auth",
                                "the same bearer tokens as the REST API; tools/call needs the member role (403 "
                                        + "problem otherwise)")
                        .put(
                                "description",
                                "Tern as an MCP server: tools/list gives every workflow and agent (named as defined, "
                                        + "with its input and "
                                        + "output JSON Schemas); tools/call of a workflow is a durable run that "
                                        + "answers with its output (structuredContent and a "
                                        + "text block), a tool error (isError) when it fails, or its runId to follow "
                                        + "after --mcp-call-wait-seconds; tools/call of "
                                        + "an agent starts it and answers with its runId. Runs are resources: "
                                        + "tern://runs/{runId} (resources/read, "
                                        + "resources/subscribe)."));
        for (String fragment : FRAGMENTS) {
            ObjectNode extra = (ObjectNode) read("openapi/" + fragment, TernJson.reader());
            for (Iterator<String> it = extra.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("paths") && !COMPONENTS.contains(key))
                    throw new IllegalStateException(fragment + ": unknown section " + key);
            }
            merge(doc.with("paths"), (ObjectNode) extra.get("paths"), fragment + ": paths");
            for (String section : COMPONENTS) {
                if (extra.get(section) instanceof ObjectNode add)
                    merge(doc.with("components").with(section), add, fragment + ": " + section);
            }
        }
        return doc;
    }

    private static void merge(ObjectNode target, ObjectNode source, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            String at = where + "." + e.getKey();
            if (existing == null) {
                target.set(e.getKey(), e.getValue());
            } else if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode add) {
                merge(o, add, at);
            } else if (existing instanceof ArrayNode a && e.getValue() instanceof ArrayNode add) {
                for (JsonNode item : add) if (!contains(a, item)) a.add(item);
            } else if (!existing.equals(e.getValue())) {
                throw new IllegalStateException(
                        at + ": a fragment may add to the document, not change " + existing + " to " + e.getValue());
            }
        }
    }

    /** Whether the array has the item; a parameter is there when one of the same name and location is. */
    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode existing : array) {
            if (existing.equals(item)) return true;
            if (item.has("name")
                    && item.has("in")
                    && item.get("name").equals(existing.get("name"))
                    && item.get("in").equals(existing.get("in"))) {
                throw new IllegalStateException(
                        "parameter " + item.get("name") + " in " + item.get("in") + " is declared twice");
            }
        }
        return false;
    }

    private static JsonNode read(String resource, ObjectReader reader) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return reader.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
