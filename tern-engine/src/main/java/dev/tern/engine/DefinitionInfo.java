package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A definition as clients see it: its kind, name and JSON Schemas (of its events, too, for an agent). */
public record DefinitionInfo(
        DefinitionKind kind, String name, JsonNode inputSchema, JsonNode outputSchema, Map<String, JsonNode> events) {}
