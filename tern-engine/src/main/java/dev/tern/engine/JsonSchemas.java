package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * JSON Schemas generated from the Java types of inputs, outputs and events, and validation of JSON against them: what
 * the engine checks at its door, for surfaces that describe or check the same. A record component is required unless
 * marked {@code @Nullable}; numbers carry their type's range.
 */
public interface JsonSchemas {

    /** The JSON Schema of {@code type}; a copy the caller may change. */
    ObjectNode schemaOf(Class<?> type);

    /**
     * The ways {@code value} breaks the schema of {@code type}, each naming the JSON path; empty if valid. A value that
     * fits the schema but still does not read into the type is a violation too.
     */
    List<Violation> validate(Class<?> type, JsonNode value);

    /** The ways {@code value} breaks {@code schema} (a JSON Schema given as JSON), each naming the JSON path. */
    List<Violation> validate(JsonNode schema, JsonNode value);
}
