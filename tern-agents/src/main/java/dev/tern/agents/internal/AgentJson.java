package dev.tern.agents.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON for tool arguments and results: ISO times, unknown fields refused (the schema forbids them too). */
public final class AgentJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AgentJson() {}

    /** Parses text the model wrote; null when it is not JSON. */
    public static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) return MAPPER.createObjectNode();
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The result as the model reads it: text stays text, anything else is its JSON. */
    public static String asText(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return s;
        if (value instanceof JsonNode n && n.isTextual()) return n.asText();
        return write(value);
    }
}
