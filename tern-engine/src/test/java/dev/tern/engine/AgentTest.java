package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(StoreKind.class)
class AgentTest {
    record Start(int greetings) {}

    record Note(String text) {}

    record Done() {}

    record Log(List<String> notes) {}

    static final class State {
        final List<String> notes = new ArrayList<>();
        boolean done;
    }

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final AtomicInteger stepRuns = new AtomicInteger();

    Definitions definitions() {
        return Definitions.builder()
                .agent(AgentDefinition.<Start, State, Log>builder("notes", Start.class, Log.class, s -> {
                            State state = new State();
                            for (int i = 0; i < s.greetings(); i++) state.notes.add("hi");
                            return state;
                        })
                        .on("note", Note.class, (ctx, state, note) -> {
                            String stored = ctx.step("store", String.class, () -> {
                                stepRuns.incrementAndGet();
                                return note.text() + "#" + (state.notes.size() + 1);
                            });
                            state.notes.add(stored);
                            return stored;
                        })
                        .on("done", Done.class, (ctx, state, done) -> state.done = true)
                        .run((ctx, state, start) -> {
                            ctx.waitUntil(() -> state.done);
                            return new Log(List.copyOf(state.notes));
                        }))
                .build();
    }

    @Test
    void eventsAreHandledInOrderAndStateIsRebuiltByReplayAfterACrash() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("notes", new Start(1));
            engine.send(id, "note", new Note("a"));
            engine.send(id, "note", new Note("b"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> stepRuns.get() == 2 && engine.requireRun(id).suspended());
            fixture.crash();

            TernEngine restarted = fixture.start(definitions());
            restarted.send(id, "note", new Note("c"));
            restarted.send(id, "done", new Done());
            RunRecord run = restarted.awaitCompletion(id, Duration.ofSeconds(10));

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("notes"))
                    .extracting(n -> n.asText())
                    .containsExactly("hi", "a#2", "b#3", "c#4");
            assertThat(stepRuns).hasValue(3);
            List<HistoryEvent> handled = restarted.history(id, 0, 1000).stream()
                    .filter(e -> e.type() == HistoryEventType.EVENT_HANDLED)
                    .toList();
            assertThat(handled)
                    .extracting(e -> e.data().get("eventName").asText())
                    .containsExactly("note", "note", "note", "done");
        }
    }

    @Test
    void unknownEventsAndBadEventInputAreRejectedBeforeTheyAreStored() {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("notes", new Start(0));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.send(id, "dance", new Done()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("no handler for event 'dance'");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.send(id, "note", new Done()))
                    .isInstanceOf(InvalidInputException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.send("run_missing", "note", new Note("x")))
                    .isInstanceOf(RunNotFoundException.class);
            assertThat(engine.history(id, 0, 100))
                    .extracting(HistoryEvent::type)
                    .doesNotContain(HistoryEventType.EVENT_RECEIVED);
        }
    }
}
