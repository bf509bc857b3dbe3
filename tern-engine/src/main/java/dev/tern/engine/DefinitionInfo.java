package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A definition as clients see it: its kind, name and JSON Schemas (of its events, too, for an agent), and for an agent
 * or workflow the revision new runs start on and every revision loaded (oldest first); null and empty for a function.
 */
public record DefinitionInfo(
        DefinitionKind kind,
        String name,
        JsonNode inputSchema,
        JsonNode outputSchema,
        Map<String, JsonNode> events,
        String revision,
        List<String> revisions) {
    public DefinitionInfo {
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }
}
