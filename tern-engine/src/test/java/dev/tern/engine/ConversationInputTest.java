package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An agent calls a step with its conversation so far at every turn, and its handler returns it: each step's input and
 * each handled event's result is stored as the messages it adds to the last one's, not the whole conversation again,
 * and every reader (the steps, a run's detail, a fork, a restarted run's replay, history whole or page by page) gets
 * the whole value back. On both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ConversationInputTest {
    record Message(String role, String content) {}

    record Conversation(String model, List<Message> messages, List<String> tools) {}

    record Say(String text) {}

    record Start() {}

    record Done(int turns) {}

    /** What a turn's handler returns, as Restack's chat agent does: the conversation so far. */
    record Said(List<Message> messages, int turns) {}

    static final class State {
        final List<Message> messages = new ArrayList<>();
        boolean ended;
    }

    /** A message long enough that a turn's input stored whole costs far more than what it adds. */
    static String text(int turn) {
        return ("turn " + turn + ": ").repeat(60);
    }

    /** The user's message of {@code turn} as stored JSON (the reply quotes it after "re "). */
    static String said(int turn) {
        return "\"content\":\"" + text(turn);
    }

    static final FunctionDefinition<Conversation, Message> REPLY = FunctionDefinition.of(
            "reply",
            Conversation.class,
            Message.class,
            c -> new Message(
                    "assistant",
                    "re " + c.messages().get(c.messages().size() - 1).content()));

    static final AgentDefinition<Start, State, Done> CHAT = AgentDefinition.<Start, State, Done>builder(
                    "talker", Start.class, Done.class, input -> new State())
            .on("say", Say.class, (ctx, state, say) -> {
                state.messages.add(new Message("user", say.text()));
                Message reply =
                        ctx.call(REPLY, new Conversation("m", List.copyOf(state.messages), List.of("search", "fetch")));
                state.messages.add(reply);
                return new Said(List.copyOf(state.messages), state.messages.size() / 2);
            })
            .on("list", Say.class, (ctx, state, say) -> List.copyOf(state.messages))
            .on("forget", Say.class, (ctx, state, say) -> {
                state.messages.clear(); // the next input no longer begins with the last one's messages
                return null;
            })
            .on("end", Say.class, (ctx, state, say) -> {
                state.ended = true;
                return null;
            })
            .run((ctx, state, input) -> {
                ctx.waitUntil(() -> state.ended);
                return new Done(state.messages.size() / 2);
            });

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = startEngine();
    }

    /**
     * An engine whose waiting agent keeps its execution for a minute between turns, not the fixture's usual 200 ms: a
     * handled result extends the last one only within an execution, and 200 ms let a slow machine suspend the agent
     * between two of a test's turns.
     */
    private TernEngine startEngine() {
        return fixture.start(definitions(), fixture.config().withSuspendGrace(Duration.ofMinutes(1)));
    }

    private static Definitions definitions() {
        return Definitions.builder().agent(CHAT).build();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void eachTurnStoresWhatItAddsAndEveryReaderGetsTheWholeConversation() throws Exception {
        String id = startTalker();
        List<List<Message>> expected = new ArrayList<>();
        List<Message> conversation = new ArrayList<>();
        for (int turn = 0; turn < 5; turn++) say(id, turn, conversation, expected);

        fixture.crash(); // the agent resumes by replay: its next inputs extend the steps it replayed
        engine = startEngine();
        for (int turn = 5; turn < 8; turn++) say(id, turn, conversation, expected);

        List<StepRecord> replies = replies(engine.steps(id));
        assertWhole(replies, expected);
        assertWhole(
                replies(engine.detail(id, EnumSet.of(RunDetail.Part.STEPS))
                        .orElseThrow()
                        .steps()),
                expected);

        List<String> stored = storedInputs(id);
        assertThat(stored).hasSize(8);
        assertThat(stored.get(0)).startsWith("{"); // the first turn has nothing to extend
        int oneTurn = text(7).length() * 3; // a user message, a reply that quotes it, and room for the rest
        for (int turn = 1; turn < 8; turn++) {
            assertThat(stored.get(turn)).startsWith("~").doesNotContain(said(0));
            assertThat(stored.get(turn).length()).isLessThan(oneTurn);
        }

        // a fork from the sixth reply copies the five before it, read whole
        int sixth = replies.get(5).seq();
        RunRecord fork = engine.fork(id, sixth, null, RunOptions.none());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> replies(engine.steps(fork.id())).size() >= 5);
        assertWhole(replies(engine.steps(fork.id())).subList(0, 5), expected.subList(0, 5));
    }

    @Test
    void eachHandledResultIsStoredAsWhatItAddsAndEveryPageReadsItWhole() throws Exception {
        String id = startTalker();
        List<List<Message>> expected = new ArrayList<>();
        List<Message> conversation = new ArrayList<>();
        for (int turn = 0; turn < 4; turn++) say(id, turn, conversation, expected);
        awaitHandled(id, 4);
        fixture.crash(); // after a restart the first result is stored whole, the next extend it
        engine = startEngine();
        for (int turn = 4; turn < 7; turn++) say(id, turn, conversation, expected);
        engine.sendEvent(id, "list", TernJson.tree(new Say("")));
        engine.sendEvent(id, "list", TernJson.tree(new Say(""))); // an array result, extended by nothing new
        awaitHandled(id, 9);

        List<HistoryEvent> all = handled(engine.history(id, 0, 1_000));
        List<HistoryEvent> paged = new ArrayList<>(); // two events a page: most bases lie on an earlier page
        long after = 0;
        for (List<HistoryEvent> page; !(page = engine.history(id, after, 2)).isEmpty(); ) {
            paged.addAll(handled(page));
            after = page.get(page.size() - 1).eventSequence();
        }
        assertThat(paged).isEqualTo(all);
        assertThat(all).hasSize(9);
        for (int turn = 0; turn < 7; turn++) {
            JsonNode data = all.get(turn).data();
            assertThat(fieldNames(data)).containsExactly("eventName", "inboxSequence", "result");
            List<Message> then = new ArrayList<>(expected.get(turn));
            then.add(new Message("assistant", "re " + text(turn)));
            assertThat(data.path("result")).isEqualTo(TernJson.tree(new Said(then, turn + 1)));
        }
        JsonNode everything = TernJson.tree(conversation);
        assertThat(all.get(7).data().path("result")).isEqualTo(everything);
        assertThat(all.get(8).data().path("result")).isEqualTo(everything);

        List<String> stored = storedHandled(id);
        for (int i : List.of(0, 4, 7)) assertThat(stored.get(i)).doesNotContain("resultExtends");
        for (int i : List.of(1, 2, 3, 5, 6, 8))
            assertThat(stored.get(i)).contains("resultExtends").doesNotContain(said(0));
    }

    @Test
    void anInputThatDoesNotExtendTheLastIsStoredWhole() throws Exception {
        String id = startTalker();
        List<List<Message>> expected = new ArrayList<>();
        List<Message> conversation = new ArrayList<>();
        say(id, 0, conversation, expected);
        say(id, 1, conversation, expected);
        engine.sendEvent(id, "forget", TernJson.tree(new Say("")));
        conversation.clear();
        say(id, 2, conversation, expected);
        say(id, 3, conversation, expected);

        assertWhole(replies(engine.steps(id)), expected);
        List<String> stored = storedInputs(id);
        assertThat(stored.get(1)).startsWith("~");
        assertThat(stored.get(2)).startsWith("{").contains(said(2)).doesNotContain(said(1));
        assertThat(stored.get(3)).startsWith("~").doesNotContain(said(2));
    }

    private String startTalker() {
        return engine.scheduleRun(
                        dev.tern.sdk.RunnableDefinition.Kind.AGENT,
                        "talker",
                        TernJson.tree(Map.of()),
                        RunOptions.none())
                .run()
                .id();
    }

    /** Sends turn {@code turn}'s message and waits for its reply step; records the input that step should have. */
    private void say(String id, int turn, List<Message> conversation, List<List<Message>> expected) {
        int before = replies(engine.steps(id)).size();
        engine.sendEvent(id, "say", TernJson.tree(new Say(text(turn))));
        conversation.add(new Message("user", text(turn)));
        expected.add(List.copyOf(conversation));
        conversation.add(new Message("assistant", "re " + text(turn)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> replies(engine.steps(id)).size() > before);
    }

    private void awaitHandled(String id, int count) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> handled(engine.history(id, 0, 1_000)).size() >= count);
    }

    private static List<HistoryEvent> handled(List<HistoryEvent> events) {
        return events.stream()
                .filter(e -> e.type() == HistoryEventType.EVENT_HANDLED)
                .toList();
    }

    private static List<StepRecord> replies(List<StepRecord> steps) {
        return steps.stream().filter(s -> s.name().equals("reply")).toList();
    }

    private static void assertWhole(List<StepRecord> replies, List<List<Message>> expected) {
        assertThat(replies).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode input = replies.get(i).input();
            assertThat(fieldNames(input)).containsExactly("model", "messages", "tools");
            assertThat(input.path("model").asText()).isEqualTo("m");
            assertThat(input.path("tools")).isEqualTo(TernJson.tree(List.of("search", "fetch")));
            assertThat(input.path("messages")).isEqualTo(TernJson.tree(expected.get(i)));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The inputs of the run's reply steps as stored, in order. */
    private List<String> storedInputs(String runId) throws SQLException {
        return stored("SELECT input FROM steps WHERE run_id = ? AND name = 'reply' ORDER BY seq", runId);
    }

    /** The data of the run's handled events as stored, in order. */
    private List<String> storedHandled(String runId) throws SQLException {
        return stored("SELECT data FROM history WHERE run_id = ? AND type = 'event_handled' ORDER BY event_seq", runId);
    }

    private List<String> stored(String sql, String runId) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) values.add(rs.getString(1));
            }
        }
        return values;
    }
}
