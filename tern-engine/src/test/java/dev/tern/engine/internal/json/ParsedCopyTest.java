package dev.tern.engine.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A plain tree copied is what parsing its text gives back, node type for node type; other trees are parsed. */
class ParsedCopyTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void copiesRandomTreesAsParsingTheirTextGivesThemBack() {
        Random random = new Random(20261206);
        for (int i = 0; i < 5_000; i++) {
            JsonNode tree = TreeTextTest.tree(random, 0);
            String text = Json.write(tree);
            JsonNode copy = ParsedCopy.of(tree);
            // JsonNode.equals tells an IntNode from a LongNode of the same value
            assertThat(copy).as("tree %d", i).isEqualTo(Json.parse(text));
            assertThat(Json.parsedBack(tree, text)).isEqualTo(copy);
            if (tree.isContainerNode()) assertThat(copy).isNotSameAs(tree);
        }
    }

    @Test
    void numbersTakeTheTypesTheParserGives() {
        ObjectNode tree = NODES.objectNode()
                .put("small long", 7L)
                .put("short", (short) 3)
                .put("large long", 1L << 40)
                .put("int", -5)
                .put("double", 2.0);
        JsonNode copy = ParsedCopy.of(tree);
        assertThat(copy.get("small long").isInt()).isTrue();
        assertThat(copy.get("short").isInt()).isTrue();
        assertThat(copy.get("large long").isLong()).isTrue();
        assertThat(copy.get("double").isDouble()).isTrue();
        assertThat(copy).isEqualTo(Json.parse(Json.write(tree)));
        tree.put("int", 6); // a copy: the caller's tree may change afterwards
        assertThat(copy.get("int").intValue()).isEqualTo(-5);
    }

    @Test
    void treesTheWriterLeavesToTheMapperAreParsed() {
        for (JsonNode odd : new JsonNode[] {
            NODES.numberNode(new BigDecimal("1.50")),
            NODES.numberNode(new BigInteger("123456789012345678901234567890")),
            NODES.numberNode(1.5f),
            NODES.objectNode().set("deep", NODES.arrayNode().add(NODES.numberNode(new BigDecimal("2.0"))))
        }) {
            assertThat(ParsedCopy.of(odd)).as("%s", odd).isNull();
            String text = Json.write(odd);
            assertThat(Json.parsedBack(odd, text)).isEqualTo(Json.parse(text));
        }
        JsonNode deep = NODES.numberNode(1);
        for (int i = 0; i < 150; i++) deep = NODES.arrayNode().add(deep);
        assertThat(ParsedCopy.of(deep)).isNull();
    }
}
