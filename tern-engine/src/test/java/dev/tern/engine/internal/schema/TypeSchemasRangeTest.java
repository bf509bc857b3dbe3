package dev.tern.engine.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.Violation;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generated schemas carry each Java type's range, so a value that validates also reads into its record. */
class TypeSchemasRangeTest {
    record Numbers(int i, @Nullable Integer boxed, long l, short s, byte b, float f, double d, char c) {}

    record Seconds(int seconds) {}

    record Named(String name) {}

    record Nested(
            List<Integer> counts,
            Map<String, Long> totals,
            @Nullable Seconds inner) {}

    record When(Instant at) {}

    record Positive(int n) {
        Positive {
            if (n <= 0) throw new IllegalArgumentException("n must be positive");
        }
    }

    final TypeSchemas schemas = new TypeSchemas();

    @Test
    void schemasCarryTheRangeOfEachNumericType() {
        ObjectNode p = (ObjectNode) schemas.schemaOf(Numbers.class).get("properties");
        assertRange(p.get("i"), "integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertRange(p.get("boxed"), "integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(p.get("boxed").get("type").toString()).contains("null");
        assertRange(p.get("l"), "integer", Long.MIN_VALUE, Long.MAX_VALUE);
        assertRange(p.get("s"), "integer", Short.MIN_VALUE, Short.MAX_VALUE);
        assertRange(p.get("b"), "integer", Byte.MIN_VALUE, Byte.MAX_VALUE);
        assertThat(p.get("f").get("type").asText()).isEqualTo("number");
        assertThat(p.get("f").get("maximum").asDouble()).isEqualTo(3.4028235E38);
        assertThat(p.get("d").get("maximum").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(p.get("d").get("minimum").asDouble()).isEqualTo(-Double.MAX_VALUE);
        assertThat(p.get("c").get("maxLength").asInt()).isEqualTo(1);
        ObjectNode nested = (ObjectNode) schemas.schemaOf(Nested.class).get("properties");
        assertRange(nested.get("counts").get("items"), "integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertRange(nested.get("totals").get("additionalProperties"), "integer", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void numbersBeyondTheTypeAreViolationsNamingTheField() {
        for (String bad : List.of("2147483648", "-2147483649", "1e300", "1.5", "\"5\"", "true")) {
            assertThat(schemas.validate(Seconds.class, json("{\"seconds\": " + bad + "}")))
                    .as(bad)
                    .extracting(Violation::field)
                    .containsExactly("$.seconds");
        }
        assertThat(schemas.validate(Seconds.class, json("{\"seconds\": 2147483647}")))
                .isEmpty();
        assertThat(schemas.validate(Seconds.class, json("{\"seconds\": -2147483648}")))
                .isEmpty();
        assertThat(schemas.validate(Seconds.class, json("{\"seconds\": 5.0}"))).isEmpty();
        assertThat(schemas.validate(Named.class, json("{\"name\": 5}")))
                .extracting(Violation::field)
                .containsExactly("$.name");
        String ok = "{\"i\": 1, \"boxed\": null, \"l\": 9223372036854775807, \"s\": 1, \"b\": 127, \"f\": 1.5, \"d\": "
                + "1e308, \"c\": \"x\"}";
        assertThat(schemas.validate(Numbers.class, json(ok))).isEmpty();
        assertThat(schemas.validate(Numbers.class, json(ok.replace("9223372036854775807", "9223372036854775808"))))
                .extracting(Violation::field)
                .containsExactly("$.l");
        assertThat(schemas.validate(Numbers.class, json(ok.replace("127", "128"))))
                .extracting(Violation::field)
                .containsExactly("$.b");
        assertThat(schemas.validate(Numbers.class, json(ok.replace("1.5", "1e39"))))
                .extracting(Violation::field)
                .containsExactly("$.f");
        assertThat(schemas.validate(Numbers.class, json(ok.replace("1e308", "1e400"))))
                .extracting(Violation::field)
                .containsExactly("$.d");
        assertThat(schemas.validate(Numbers.class, json(ok.replace("\"x\"", "\"xy\""))))
                .extracting(Violation::field)
                .containsExactly("$.c");
    }

    @Test
    void nestedNumbersAndMapValuesAreCheckedToo() {
        assertThat(schemas.validate(
                        Nested.class,
                        json("{\"counts\": [1, 2], \"totals\": {\"a\": 1}, \"inner\": {\"seconds\": 3}}")))
                .isEmpty();
        assertThat(schemas.validate(
                        Nested.class, json("{\"counts\": [1, 4294967296], \"totals\": {}, \"inner\": null}")))
                .extracting(Violation::field)
                .containsExactly("$.counts[1]");
        assertThat(schemas.validate(
                        Nested.class, json("{\"counts\": [], \"totals\": {\"a\": \"many\"}, \"inner\": null}")))
                .extracting(Violation::field)
                .containsExactly("$.totals.a");
        assertThat(schemas.validate(
                        Nested.class, json("{\"counts\": [], \"totals\": {}, \"inner\": {\"seconds\": 1e10}}")))
                .extracting(Violation::field)
                .containsExactly("$.inner.seconds");
    }

    @Test
    void aValueThatFitsTheSchemaButDoesNotReadIntoItsTypeIsAViolationWithoutJavaNames() {
        List<Violation> at = schemas.validate(When.class, json("{\"at\": \"next tuesday\"}"));
        assertThat(at).extracting(Violation::field).containsExactly("$.at");
        assertThat(at.get(0).message()).contains("2026-01-01T12:00:00Z").contains("'next tuesday'");
        List<Violation> refused = schemas.validate(Positive.class, json("{\"n\": -1}"));
        assertThat(refused).extracting(Violation::message).containsExactly("is not accepted: n must be positive");
        for (Violation v : List.of(at.get(0), refused.get(0))) {
            assertThat(v.message())
                    .doesNotContain("java.")
                    .doesNotContain("Exception")
                    .doesNotContain("TypeSchemasRangeTest")
                    .doesNotContain("Instant")
                    .doesNotContain("Positive");
        }
    }

    private static void assertRange(JsonNode schema, String type, long min, long max) {
        assertThat(schema.get("type").toString()).contains(type);
        assertThat(schema.get("minimum").asLong()).isEqualTo(min);
        assertThat(schema.get("maximum").asLong()).isEqualTo(max);
    }

    private static JsonNode json(String text) {
        return Json.parse(text);
    }
}
