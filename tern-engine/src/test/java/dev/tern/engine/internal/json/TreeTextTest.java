package dev.tern.engine.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree writer writes what the mapper writes, character for character, and leaves it every other value. */
class TreeTextTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ALPHABET =
            "aZ09 \"\\/\n\r\t\b\f\u0000\u0001\u001f\u007f\u00e9\u2028\u20ac\ud83d\ude00\ud800";

    @Test
    void writesRandomTreesExactlyAsTheMapperDoes() throws Exception {
        Random random = new Random(20261205);
        for (int i = 0; i < 5_000; i++) {
            JsonNode tree = tree(random, 0);
            String expected = Json.MAPPER.writeValueAsString(tree);
            assertThat(TreeText.write(tree)).as("tree %d", i).isEqualTo(expected);
            assertThat(Json.write(tree)).isEqualTo(expected);
        }
    }

    @Test
    void writesLongStringsExactlyAsTheMapperDoes() throws Exception {
        Random random = new Random(20261206);
        for (int i = 0; i < 200; i++) {
            // a document: long runs of characters written as they are, escapes among them, at either end or none
            StringBuilder text = new StringBuilder();
            for (int run = random.nextInt(6); run > 0; run--) {
                if (random.nextBoolean()) text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                for (int n = random.nextInt(5_000); n > 0; n--) text.append((char) ('a' + random.nextInt(26)));
                if (random.nextInt(4) == 0) text.append("\u00e9\u20ac");
            }
            JsonNode tree = NODES.objectNode().put(text.toString(), text.toString());
            assertThat(TreeText.write(tree)).as("string %d", i).isEqualTo(Json.MAPPER.writeValueAsString(tree));
        }
    }

    @Test
    void escapesAtTheEdgesOfTheChunksALongStringIsScannedIn() throws Exception {
        for (int at : new int[] {0, 1, 63, 64, 65, 2046, 2047, 2048, 2049, 4095, 4096, 6143}) {
            StringBuilder text = new StringBuilder("y".repeat(6_144));
            text.setCharAt(at, '\n');
            text.setCharAt(6_143 - at, '\u0001');
            JsonNode tree = NODES.textNode(text.toString());
            assertThat(TreeText.write(tree)).as("at %d", at).isEqualTo(Json.MAPPER.writeValueAsString(tree));
        }
    }

    @Test
    void leavesOtherValuesToTheMapper() throws Exception {
        for (JsonNode odd : new JsonNode[] {
            NODES.numberNode(new BigDecimal("1.50")),
            NODES.numberNode(new BigInteger("123456789012345678901234567890")),
            NODES.numberNode(1.5f),
            NODES.numberNode(Double.NaN),
            NODES.numberNode(Double.POSITIVE_INFINITY),
            NODES.binaryNode(new byte[] {1, 2, 3}),
            NODES.pojoNode(java.time.Instant.EPOCH),
            NODES.objectNode().put("a", 1).set("deep", NODES.arrayNode().add(NODES.numberNode(new BigDecimal("2.0"))))
        }) {
            assertThat(TreeText.write(odd)).as("%s", odd.getNodeType()).isNull();
            assertThat(Json.write(odd)).isEqualTo(Json.MAPPER.writeValueAsString(odd));
        }
        JsonNode deep = NODES.numberNode(1);
        for (int i = 0; i < 150; i++) deep = NODES.arrayNode().add(deep);
        assertThat(TreeText.write(deep)).isNull();
        assertThat(Json.write(deep)).isEqualTo(Json.MAPPER.writeValueAsString(deep));
    }

    static JsonNode tree(Random random, int depth) {
        int kind = depth > 4 ? 2 + random.nextInt(6) : random.nextInt(8);
        return switch (kind) {
            case 0 -> {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) o.set(text(random), tree(random, depth + 1));
                yield o;
            }
            case 1 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) a.add(tree(random, depth + 1));
                yield a;
            }
            case 2 -> NODES.textNode(text(random));
            case 3 -> NODES.numberNode(random.nextInt() >> random.nextInt(32));
            case 4 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 5 -> NODES.numberNode(double_(random));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.nullNode();
        };
    }

    private static double double_(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextDouble();
            case 1 -> -random.nextDouble() * 1e300;
            case 2 -> random.nextGaussian() * 1e-300;
            case 3 -> random.nextBoolean() ? 0.0 : -0.0;
            default -> (double) random.nextInt(1000);
        };
    }

    private static String text(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
