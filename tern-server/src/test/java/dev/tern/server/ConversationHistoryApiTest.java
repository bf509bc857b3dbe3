package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chat agent whose handler returns the conversation so far, as Restack's does, read back over HTTP: its history,
 * whole and page by page (most pages' first result extends one on an earlier page), gives every turn's whole
 * conversation. On the embedded store and on PostgreSQL.
 */
class ConversationHistoryApiTest {
    record Message(String role, String content) {}

    record Say(String text) {}

    record Start() {}

    record Said(List<Message> messages) {}

    static final class State {
        final List<Message> messages = new ArrayList<>();
        boolean ended;
    }

    private static final int TURNS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final AgentDefinition<Start, State, Said> TALKER = AgentDefinition.<Start, State, Said>builder(
                    "talker", Start.class, Said.class, input -> new State())
            .on("say", Say.class, (ctx, state, say) -> {
                state.messages.add(new Message("user", say.text()));
                state.messages.add(new Message("assistant", "re " + say.text()));
                return new Said(List.copyOf(state.messages));
            })
            .on("end", Say.class, (ctx, state, say) -> {
                state.ended = true;
                return null;
            })
            .run((ctx, state, input) -> {
                ctx.waitUntil(() -> state.ended);
                return new Said(List.copyOf(state.messages));
            });

    @TempDir
    Path dir;

    private TestStore store;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyPageOfAConversationsHistoryHoldsEachTurnWhole(String kind) throws Exception {
        store = TestStore.of(kind, dir);
        server = TestServer.start(
                store.config(),
                null,
                10L * 1024 * 1024,
                Definitions.builder().agent(TALKER).build());
        TestServer.Response started = server.post("/v1/runs", "{\"name\": \"talker\", \"input\": {}}");
        assertThat(started.status()).as(started.raw()).isEqualTo(201);
        String id = started.body().get("runId").asText();

        List<JsonNode> expected = new ArrayList<>();
        List<Message> conversation = new ArrayList<>();
        for (int turn = 0; turn < TURNS; turn++) {
            String text = ("turn " + turn + " says ").repeat(30);
            TestServer.Response sent =
                    server.post("/v1/runs/" + id + "/events", JSON.writeValueAsString(new Event("say", new Say(text))));
            assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
            conversation.add(new Message("user", text));
            conversation.add(new Message("assistant", "re " + text));
            expected.add(JSON.valueToTree(new Said(List.copyOf(conversation))));
        }
        assertThat(server.post(
                                "/v1/runs/" + id + "/events",
                                "{\"eventName\": \"end\", \"eventInput\": {\"text\": \"\"}}")
                        .status())
                .isEqualTo(200);
        assertThat(server.awaitRun(id, Duration.ofSeconds(30)).get("status").asText())
                .isEqualTo("completed");

        assertThat(handledResults(server.get("/v1/runs/" + id + "/history").body()))
                .isEqualTo(expected);
        for (int limit : List.of(1, 2, 5)) {
            List<JsonNode> paged = new ArrayList<>();
            long after = 0;
            while (true) {
                JsonNode page = server.get("/v1/runs/" + id + "/history?after=" + after + "&limit=" + limit)
                        .body();
                JsonNode events = page.get("events");
                if (events.isEmpty()) break;
                paged.addAll(handledResults(page));
                after = events.get(events.size() - 1).get("eventSequence").asLong();
            }
            assertThat(paged).as("pages of %d events", limit).isEqualTo(expected);
        }
    }

    record Event(String eventName, Object eventInput) {}

    /** The results of the page's handled {@code say} events, in order. */
    private static List<JsonNode> handledResults(JsonNode page) {
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode e : page.get("events")) {
            if (e.get("type").asText().equals("event_handled")
                    && e.get("data").path("eventName").asText().equals("say")) {
                assertThat(e.get("data").has("resultExtends")).isFalse();
                results.add(e.get("data").get("result"));
            }
        }
        return results;
    }
}
