package dev.tern.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON between a test's Java values and a run's recorded values, the way the engine writes them. */
final class TestJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TestJson() {}

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static <T> T read(JsonNode value, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (Exception e) {
            throw new AssertionError(what + " does not read as " + type.getSimpleName() + ": " + value, e);
        }
    }
}
