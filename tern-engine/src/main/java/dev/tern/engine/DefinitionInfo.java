package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A definition as clients see it: kind ({@code workflow}, {@code agent}, {@code function}), name and JSON Schemas. */
public record DefinitionInfo(String kind, String name, JsonNode inputSchema, JsonNode outputSchema, Map<String, JsonNode> events) {}
