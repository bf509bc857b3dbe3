package dev.tern.engine.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A run's values converted with kept lists are the trees {@link Json#tree} gives, and a list that continues the last
 * one takes its element nodes; an element that can change, a list changed in place, or one written differently in
 * another place is written afresh.
 */
class ValueTreesTest {
    enum Role {
        USER,
        ASSISTANT
    }

    record Call(String id, String arguments) {}

    record Message(Role role, String text, List<Call> calls) {}

    record Conversation(String model, List<Message> messages, Double temperature) {}

    record Notes(List<String> lines) {}

    record Holder(Notes notes) {}

    record Shown(@JsonIgnoreProperties("text") List<Message> hidden, List<Message> shown) {}

    record Holders(List<Notes> notes) {}

    record Tags(
            @JsonFormat(with = JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED)
            List<Message> tags) {}

    record Nested(
            @JsonFormat(with = JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED)
            List<List<Message>> lists) {}

    record Meta(Instant at, Duration took, BigDecimal cost, Role role, Map<String, Integer> counts) {}

    record Flat(String name, @JsonUnwrapped Meta meta) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle"), @JsonSubTypes.Type(Square.class)})
    sealed interface Shape permits Circle, Square {}

    record Circle(double radius) implements Shape {}

    record Square(int side) implements Shape {}

    record Shapes(List<Shape> shapes) {}

    @JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class)
    record Node(String name) {}

    record Nodes(List<Node> nodes) {}

    @Test
    void aConversationsEarlierMessagesAreConvertedOnceAndShared() {
        ValueTrees trees = new ValueTrees();
        List<Message> messages = new ArrayList<>();
        Random random = new Random(7);
        JsonNode previous = null;
        for (int turn = 0; turn < 30; turn++) {
            messages.add(message(random, turn));
            Conversation input = new Conversation("m", List.copyOf(messages), turn % 2 == 0 ? 0.5 : null);
            JsonNode tree = trees.tree(input);
            assertThat(tree).isEqualTo(Json.tree(input));
            JsonNode list = tree.get("messages");
            // a list of one is written as its serializer writes it: kept from two elements on
            if (turn >= 2) {
                for (int i = 0; i < turn; i++) {
                    assertThat(list.get(i)).as("turn %d message %d", turn, i).isSameAs(previous.get(i));
                }
            }
            previous = list;
        }
    }

    @Test
    void anElementThatCanChangeIsWrittenAfreshEveryTime() {
        ValueTrees trees = new ValueTrees();
        List<String> parts = new ArrayList<>(List.of("a"));
        Notes changing = new Notes(parts);
        Notes fixed = new Notes(List.of("z"));
        JsonNode first = trees.tree(new Holders(List.of(changing, fixed)));
        parts.add("b");
        Holders grown = new Holders(List.of(changing, fixed, new Notes(List.of("y"))));
        JsonNode second = trees.tree(grown);
        assertThat(second).isEqualTo(Json.tree(grown));
        assertThat(second.path("notes").get(0).path("lines").size()).isEqualTo(2);
        assertThat(first.path("notes").get(0).path("lines").size()).isEqualTo(1);
    }

    @Test
    void aListChangedInPlaceIsWrittenAsItNowIs() {
        ValueTrees trees = new ValueTrees();
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(Role.USER, "one", List.of()));
        messages.add(new Message(Role.ASSISTANT, "two", List.of()));
        trees.tree(new Conversation("m", messages, null));
        messages.set(0, new Message(Role.USER, "replaced", List.of()));
        messages.add(new Message(Role.USER, "three", List.of()));
        Conversation changed = new Conversation("m", messages, null);
        assertThat(trees.tree(changed)).isEqualTo(Json.tree(changed));
        messages.remove(2);
        assertThat(trees.tree(changed)).isEqualTo(Json.tree(changed));
    }

    @Test
    void theSameListWrittenTwoWaysKeepsATreeForEach() {
        ValueTrees trees = new ValueTrees();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messages.add(new Message(Role.USER, "secret " + i, List.of()));
            Shown value = new Shown(List.copyOf(messages), List.copyOf(messages));
            JsonNode tree = trees.tree(value);
            assertThat(tree).isEqualTo(Json.tree(value));
            assertThat(tree.path("hidden").get(i).has("text")).isFalse();
            assertThat(tree.path("shown").get(i).path("text").asText()).isEqualTo("secret " + i);
        }
    }

    @Test
    void aSingleElementWrittenUnwrappedIsLeftToItsSerializer() {
        ValueTrees trees = new ValueTrees();
        List<Message> tags = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tags.add(new Message(Role.USER, "t" + i, List.of()));
            Tags value = new Tags(List.copyOf(tags));
            assertThat(trees.tree(value)).as("%d tags", i + 1).isEqualTo(Json.tree(value));
            Nested nested = new Nested(List.of(List.copyOf(tags)));
            assertThat(trees.tree(nested)).as("%d nested", i + 1).isEqualTo(Json.tree(nested));
        }
        Tags one = new Tags(List.of(new Message(Role.USER, "only", List.of())));
        assertThat(trees.tree(one).get("tags").isObject()).isTrue();
    }

    @Test
    void polymorphicUnwrappedIdentifiedAndTimeValuesConvertAsTheMapperConvertsThem() {
        ValueTrees trees = new ValueTrees();
        Meta meta = new Meta(
                Instant.parse("2026-12-06T10:00:00.123Z"),
                Duration.ofMillis(1500),
                new BigDecimal("0.0012"),
                Role.ASSISTANT,
                Map.of("a", 1));
        Node node = new Node("n");
        List<Object> values = List.of(
                new Shapes(List.of(new Circle(1.5), new Square(2), new Circle(1.5))),
                new Flat("x", meta),
                new Holder(new Notes(List.of("kept"))),
                List.of(meta, meta),
                new Nodes(List.of(node, node)));
        for (int round = 0; round < 2; round++) {
            for (Object value : values) {
                assertThat(trees.tree(value)).as("%s round %d", value, round).isEqualTo(Json.tree(value));
            }
        }
        assertThat(trees.tree(null)).isNull();
    }

    @Test
    void keepsOneListForEachPlaceAListIsWritten() {
        ValueTrees trees = new ValueTrees();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add(new Message(Role.USER, "m" + i, List.of(new Call("c" + i, "{}"), new Call("d" + i, "{}"))));
            trees.tree(new Conversation("m", List.copyOf(messages), null));
        }
        // the conversation's list and the calls of its messages
        assertThat(trees.keptLists()).isEqualTo(2);
    }

    @Test
    void onlyValuesThatCannotChangeAreImmutable() {
        assertThat(ImmutableValues.isImmutable(new Message(Role.USER, "t", List.of(new Call("1", "{}")))))
                .isTrue();
        assertThat(ImmutableValues.isImmutable(List.of(1, 2).stream().toList())).isTrue();
        assertThat(ImmutableValues.isImmutable(Map.of("k", List.of("v")))).isTrue();
        assertThat(ImmutableValues.isImmutable(new Notes(new ArrayList<>()))).isFalse();
        assertThat(ImmutableValues.isImmutable(new Notes(Collections.unmodifiableList(new ArrayList<>()))))
                .isFalse();
        assertThat(ImmutableValues.isImmutable(Map.of("k", new ArrayList<>()))).isFalse();
        assertThat(ImmutableValues.isImmutable(List.of(new Holder(new Notes(List.of("a"))))))
                .isTrue();
        assertThat(ImmutableValues.isImmutable(new int[] {1})).isFalse();
        assertThat(ImmutableValues.isImmutable(Json.MAPPER.createObjectNode())).isFalse();
        Object deep = "leaf";
        for (int i = 0; i <= ImmutableValues.MAX_DEPTH; i++) deep = Optional.of(deep);
        assertThat(ImmutableValues.isImmutable(deep)).isFalse();
    }

    private static Message message(Random random, int turn) {
        Role role = turn % 2 == 0 ? Role.USER : Role.ASSISTANT;
        List<Call> calls = random.nextBoolean()
                ? List.of()
                : List.of(new Call("c" + turn, "{\"q\": " + random.nextInt(100) + "}"));
        return new Message(role, "turn " + turn + " \u00e9\n" + "x".repeat(random.nextInt(200)), calls);
    }
}
