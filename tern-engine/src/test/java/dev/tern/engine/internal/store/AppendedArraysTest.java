package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A value that appends to an earlier one's arrays is cut to what it appends, when that saves enough to be worth it. */
class AppendedArraysTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void aConversationIsCutToItsNewMessagesAndRestoredWhole() {
        ObjectNode before = conversation(200, 400);
        ObjectNode now = conversation(201, 400);
        AppendedArrays.Cut cut = AppendedArrays.cut(now, before);
        assertThat(cut).isNotNull();
        assertThat(cut.fields()).containsExactly("messages");
        assertThat(cut.value().get("messages")).hasSize(1);
        assertThat(cut.value().get("model").asText()).isEqualTo("m");
        assertThat(AppendedArrays.restore(cut.value(), cut.fields(), before)).isEqualTo(now);
    }

    @Test
    void aCutIsMadeOnlyWhenWhatItLeavesOutIsWorthABase() {
        // a message of 40 characters counts about 70 bytes: three leave out less than the 256 a cut must save, four
        // more
        assertThat(AppendedArrays.cut(conversation(4, 40), conversation(3, 40))).isNull();
        assertThat(AppendedArrays.cut(conversation(5, 40), conversation(4, 40))).isNotNull();
        // strings of 40 characters count 43 bytes: five leave out 215, six 258
        ArrayNode fiveWords = NODES.arrayNode();
        ArrayNode sixWords = NODES.arrayNode();
        for (int i = 0; i < 6; i++) {
            if (i < 5) fiveWords.add("x".repeat(40));
            sixWords.add("x".repeat(40));
        }
        assertThat(AppendedArrays.cut(sixWords, fiveWords)).isNull();
        ArrayNode seven = sixWords.deepCopy().add("y");
        AppendedArrays.Cut whole = AppendedArrays.cut(seven, sixWords);
        assertThat(whole).isNotNull();
        assertThat(whole.fields()).isEqualTo(List.of(AppendedArrays.WHOLE));
        assertThat(AppendedArrays.restore(whole.value(), whole.fields(), sixWords))
                .isEqualTo(seven);
    }

    @Test
    void aValueThatChangesAnEarlierElementIsNotCut() {
        ObjectNode before = conversation(30, 100);
        ObjectNode now = conversation(31, 100);
        ((ObjectNode) now.get("messages").get(3)).put("content", "changed");
        assertThat(AppendedArrays.cut(now, before)).isNull();
    }

    /** A model call's input: a model name and {@code count} messages of {@code length} characters. */
    private static ObjectNode conversation(int count, int length) {
        ObjectNode input = NODES.objectNode().put("model", "m");
        ArrayNode messages = input.putArray("messages");
        for (int i = 0; i < count; i++) {
            String text = (i + ":" + "w".repeat(length)).substring(0, length);
            messages.add(NODES.objectNode()
                    .put("role", i % 2 == 0 ? "user" : "assistant")
                    .put("content", text));
        }
        return input;
    }
}
