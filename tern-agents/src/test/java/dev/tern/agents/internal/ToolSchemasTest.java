package dev.tern.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A tool's argument schema carries its number types' ranges, so what the model sends is checked before it is read. */
class ToolSchemasTest {
    public record Order(int quantity, long id, byte priority, double price, String item) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void numbersOutsideTheirJavaTypesRangeAreViolationsNamingTheField() throws Exception {
        ToolSchemas schemas = new ToolSchemas(Order.class);
        assertThat(schemas.schema()
                        .path("properties")
                        .path("quantity")
                        .path("maximum")
                        .asLong())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(schemas.violations(JSON.readTree("{\"quantity\": 3, \"id\": 9223372036854775807, \"priority\": 1, "
                        + "\"price\": 2.5, \"item\": \"x\"}")))
                .isEmpty();
        assertThat(schemas.violations(JSON.readTree(
                        "{\"quantity\": 2147483648, \"id\": 1, \"priority\": 128, \"price\": 1e309, \"item\": \"x\"}")))
                .anyMatch(v -> v.startsWith("$.quantity"))
                .anyMatch(v -> v.startsWith("$.priority"));
        assertThat(schemas.violations(JSON.readTree(
                        "{\"quantity\": 1.5, \"id\": 1, \"priority\": 1, \"price\": 1, \"item\": \"x\"}")))
                .anyMatch(v -> v.startsWith("$.quantity"));
    }
}
