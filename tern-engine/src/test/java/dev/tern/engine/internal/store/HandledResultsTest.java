package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long conversation's handled results, each stored as what it adds to the last of its event, read back whole page by
 * page: the bases of a page's first results are built from the run's earlier ones, however long their chain.
 */
class HandledResultsTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void everyPageOfALongChainReadsEachResultWhole() {
        List<ObjectNode> whole = new ArrayList<>();
        List<HistoryEvent> stored = new ArrayList<>();
        ArrayNode messages = JSON.arrayNode();
        JsonNode previousSay = null;
        JsonNode previousList = null;
        for (int turn = 0; turn < 300; turn++) {
            messages = messages.deepCopy().add(message("user", turn)).add(message("assistant", turn));
            boolean list = turn % 7 == 3; // a second event's chain, its results whole arrays, woven into the first's
            ObjectNode result = list ? null : JSON.objectNode().put("turns", turn + 1);
            if (result != null) result.set("messages", messages);
            ObjectNode data = JSON.objectNode().put("eventName", list ? "list" : "say");
            data.set("result", list ? messages : result);
            whole.add(data.deepCopy());
            ObjectNode kept = HandledResults.stored(data, list ? previousList : previousSay);
            if (list) previousList = messages;
            else previousSay = result;
            stored.add(handled(turn + 1, kept));
        }
        assertThat(stored.stream().filter(e -> e.data().has(HandledResults.EXTENDS)))
                .hasSizeGreaterThan(290);

        for (int pageSize : List.of(1, 7, 64)) {
            List<JsonNode> read = new ArrayList<>();
            for (int from = 0; from < stored.size(); from += pageSize) {
                List<HistoryEvent> page = copies(stored.subList(from, Math.min(stored.size(), from + pageSize)));
                HandledResults.restored(
                                page,
                                before -> copies(stored.subList(0, (int) before - 1)).stream()
                                        .map(HistoryEvent::data)
                                        .toList())
                        .forEach(e -> read.add(e.data()));
            }
            assertThat(read).as("pages of %d", pageSize).isEqualTo(whole);
        }
    }

    @Test
    void aResultWhoseBaseIsMissingIsAnError() {
        ArrayNode said = JSON.arrayNode().add(message("user", 0)).add(message("assistant", 0));
        ObjectNode second = JSON.objectNode().put("eventName", "say");
        second.set("result", said.deepCopy().add(message("user", 1)));
        ObjectNode kept = HandledResults.stored(second, said);
        assertThat(kept.has(HandledResults.EXTENDS)).isTrue();

        assertThatThrownBy(() -> HandledResults.restored(List.of(handled(2, kept)), before -> List.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("'say'");
    }

    private static ObjectNode message(String role, int turn) {
        return JSON.objectNode().put("role", role).put("content", (role + " says " + turn + ". ").repeat(20));
    }

    private static HistoryEvent handled(long seq, JsonNode data) {
        return new HistoryEvent("run", seq, HistoryEventType.EVENT_HANDLED, Instant.EPOCH, 1, null, data);
    }

    /** What a read of the store gives: data parsed afresh, held by nobody else. */
    private static List<HistoryEvent> copies(List<HistoryEvent> events) {
        return events.stream()
                .map(e -> handled(e.eventSequence(), e.data().deepCopy()))
                .toList();
    }
}
