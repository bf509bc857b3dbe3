package dev.tern.engine.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Texts longer than Jackson reads in one piece parse to what the mapper reads, whatever their size. */
class JsonParseTest {

    @Test
    void longTextsParseAsTheMapperReadsThem() throws Exception {
        Random random = new Random(20261206);
        for (int i = 0; i < 200; i++) {
            JsonNode tree = JsonNodeFactory.instance
                    .objectNode()
                    .put("document", "d".repeat(33_000 + random.nextInt(20_000)) + "\n\"\u00e9\u20ac")
                    .set("rest", TreeTextTest.tree(random, 0));
            String text = Json.write(tree);
            assertThat(text.length()).isGreaterThan(0x8000);
            assertThat(Json.parse(text)).as("text %d", i).isEqualTo(Json.MAPPER.readTree(text));
        }
        String padded = " ".repeat(40_000) + "[1, 2.5, \"x\"]  ";
        assertThat(Json.parse(padded)).isEqualTo(Json.MAPPER.readTree(padded));
        String blank = " ".repeat(40_000);
        assertThat(Json.parse(blank)).isEqualTo(Json.MAPPER.readTree(blank));
    }

    @Test
    void aLongTextThatIsNotJsonIsUnreadable() {
        String broken = "{\"a\":\"" + "x".repeat(40_000);
        assertThatThrownBy(() -> Json.parse(broken))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("stored JSON is unreadable");
    }
}
