package dev.tern.engine.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.UnreadablePayloadException;
import dev.tern.sdk.RunFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading JSON into a type that does not fit it says which field and what it must be, never a Java type. */
class JsonReadTest {
    enum Color {
        RED,
        GREEN
    }

    record Paint(Color color, List<Integer> coats) {}

    @Test
    void aValueThatDoesNotFitItsTypeNamesTheFieldAndNoJavaType() {
        assertUnreadable(
                "{\"color\": \"PURPLE\", \"coats\": []}", "$.color", "must be one of [RED, GREEN], was 'PURPLE'");
        assertUnreadable(
                "{\"color\": \"RED\", \"coats\": [1, 2147483648]}",
                "$.coats[1]",
                "must be a whole number between -2147483648 and 2147483647");
        assertUnreadable("{\"color\": \"RED\", \"coats\": {\"a\": 1}}", "$.coats", "must be an array");
    }

    @Test
    void inARunTheFailureIsARunErrorWithItsOwnType() {
        assertThatThrownBy(() -> Json.convert(Json.parse("{\"color\": 1.5}"), Paint.class))
                .isInstanceOf(RunFailedException.class)
                .satisfies(e -> assertThat(((RunFailedException) e).errorType()).isEqualTo("UnreadablePayload"));
        assertThatThrownBy(() -> Json.read("{\"coats\": true}", Paint.class))
                .isInstanceOf(UnreadablePayloadException.class)
                .hasMessageStartingWith("$.coats: ");
    }

    private static void assertUnreadable(String json, String field, String message) {
        assertThatThrownBy(() -> Json.convert(Json.parse(json), Paint.class))
                .isInstanceOfSatisfying(UnreadablePayloadException.class, e -> {
                    assertThat(e.violation().field()).isEqualTo(field);
                    assertThat(e.violation().message()).startsWith(message);
                    assertThat(e.getMessage())
                            .doesNotContain("java.")
                            .doesNotContain("JsonReadTest")
                            .doesNotContain("Paint")
                            .doesNotContain("Color");
                });
    }
}
