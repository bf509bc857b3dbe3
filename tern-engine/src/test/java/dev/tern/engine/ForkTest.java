package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forks: steps before the fork's step return the original's results without executing (counted), the rest execute; a
 * new input; a failed run fixed by a fork; an agent whose consumed events come along in order while later ones do not;
 * and bad {@code fromStep}s.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ForkTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    record In(String text, boolean fail) {}

    record Out(String text) {}

    record Note(String text) {}

    static final class Notes {
        final List<String> seen = new ArrayList<>();
        boolean done;
    }

    record NotesOut(List<String> seen) {}

    record Done(boolean ok) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    EngineFixture fixture;
    TernEngine engine;

    String counted(String step, String value) {
        executions.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
        return value;
    }

    int executed(String step) {
        return executions.getOrDefault(step, new AtomicInteger()).get();
    }

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(Definitions.builder()
                .workflow(WorkflowDefinition.of("pipeline", In.class, Out.class, (ctx, in) -> {
                    String a = ctx.step("a", String.class, () -> counted("a", in.text() + "-a"));
                    String b = ctx.step("b", String.class, () -> counted("b", a + "-b"));
                    String c = ctx.step("c", StepOptions.defaults().withRetry(RetryPolicy.none()), String.class, () -> {
                        counted("c", "");
                        if (in.fail()) throw new IllegalStateException("bad input");
                        return b + "-c";
                    });
                    return new Out(ctx.step("d", String.class, () -> counted("d", c + "-d")));
                }))
                .agent(AgentDefinition.<Note, Notes, NotesOut>builder("notes", Note.class, NotesOut.class, n -> {
                            Notes state = new Notes();
                            state.seen.add(n.text());
                            return state;
                        })
                        .on("note", Note.class, (ctx, state, note) -> {
                            String stored = ctx.step("store", String.class, () -> counted("store", note.text()));
                            state.seen.add(stored);
                            return stored;
                        })
                        .on("done", Done.class, (ctx, state, done) -> state.done = true)
                        .run((ctx, state, in) -> {
                            ctx.waitUntil(() -> state.done);
                            return new NotesOut(List.copyOf(state.seen));
                        }))
                .build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    static JsonNode input(String text, boolean fail) {
        return JsonNodeFactory.instance.objectNode().put("text", text).put("fail", fail);
    }

    RunRecord finished(String runId) throws InterruptedException {
        RunRecord run = engine.awaitCompletion(runId, WAIT);
        assertThat(run.status().isTerminal()).as("run %s finished", runId).isTrue();
        return run;
    }

    @Test
    void stepsBeforeTheForkAreTakenFromTheOriginalAndTheRestExecute() throws Exception {
        RunRecord original = engine.schedule(RunnableDefinition.Kind.WORKFLOW, "pipeline", input("x", false));
        assertThat(finished(original.id()).output().get("text").asText()).isEqualTo("x-a-b-c-d");
        List<StepRecord> before = engine.steps(original.id());

        RunRecord fork = engine.fork(original.id(), 2, null, RunOptions.none());
        assertThat(fork.links().forkedFrom()).isEqualTo(new ForkedFrom(original.id(), 2));
        assertThat(fork.id()).isNotEqualTo(original.id());
        RunRecord done = finished(fork.id());
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("text").asText()).isEqualTo("x-a-b-c-d");
        assertThat(executed("a")).isEqualTo(1);
        assertThat(executed("b")).isEqualTo(1);
        assertThat(executed("c")).isEqualTo(2);
        assertThat(executed("d")).isEqualTo(2);

        // the fork's history says what it took; the original is untouched
        HistoryEvent forked = engine.history(fork.id(), 0, 100).stream()
                .filter(e -> e.type() == HistoryEventType.FORKED)
                .findFirst()
                .orElseThrow();
        assertThat(forked.data().get("fromRunId").asText()).isEqualTo(original.id());
        assertThat(forked.data().get("steps").toString()).isEqualTo("[0,1]");
        assertThat(engine.history(fork.id(), 0, 100)
                        .get(0)
                        .data()
                        .path("forkedFrom")
                        .path("step")
                        .asInt())
                .isEqualTo(2);
        assertThat(engine.steps(original.id())).isEqualTo(before);
        assertThat(engine.requireRun(original.id()).links().forkedFrom()).isNull();
    }

    @Test
    void aForkFromStepZeroWithANewInputExecutesEverythingAgain() throws Exception {
        RunRecord original = engine.schedule(RunnableDefinition.Kind.WORKFLOW, "pipeline", input("x", false));
        finished(original.id());
        RunRecord fork = engine.fork(original.id(), 0, input("y", false), RunOptions.none());
        assertThat(finished(fork.id()).output().get("text").asText()).isEqualTo("y-a-b-c-d");
        assertThat(executed("a")).isEqualTo(2);
        assertThat(fork.input().get("text").asText()).isEqualTo("y");
    }

    @Test
    void aFailedRunIsFixedByForkingAtTheFailedStepWithAFixedInput() throws Exception {
        RunRecord original = engine.schedule(RunnableDefinition.Kind.WORKFLOW, "pipeline", input("x", true));
        assertThat(finished(original.id()).status()).isEqualTo(RunStatus.FAILED);
        int failedAt = engine.steps(original.id()).stream()
                .filter(s -> s.name().equals("c"))
                .findFirst()
                .orElseThrow()
                .seq();

        RunRecord fork = engine.fork(original.id(), failedAt, input("x", false), RunOptions.none());
        RunRecord done = finished(fork.id());
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("text").asText()).isEqualTo("x-a-b-c-d");
        assertThat(executed("a")).isEqualTo(1);
        assertThat(executed("b")).isEqualTo(1);
        assertThat(engine.requireRun(original.id()).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void anAgentsForkReplaysTheEventsConsumedBeforeTheStepInOrderAndNotTheLaterOnes() throws Exception {
        String id = engine.start("notes", new Note("start"));
        engine.send(id, "note", new Note("one"));
        engine.send(id, "note", new Note("two"));
        engine.send(id, "note", new Note("three"));
        await().atMost(WAIT).until(() -> executed("store") == 3);
        List<StepRecord> steps = engine.steps(id);
        // fork right after the second note's handler step: the third note is not the fork's
        int afterSecond = steps.stream()
                        .filter(s -> s.name().equals("store"))
                        .skip(1)
                        .findFirst()
                        .orElseThrow()
                        .seq()
                + 1;
        RunRecord fork = engine.fork(id, afterSecond, null, RunOptions.none());
        long inboxSeq = engine.send(fork.id(), "note", new Note("four"));
        assertThat(inboxSeq)
                .as("the fork's own events come after the ones it took")
                .isEqualTo(3);
        engine.send(fork.id(), "done", new Done(true));
        RunRecord done = finished(fork.id());
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("seen").toString()).isEqualTo("[\"start\",\"one\",\"two\",\"four\"]");
        assertThat(executed("store")).as("one and two were not stored again").isEqualTo(4);
        assertThat(engine.requireRun(id).status()).isNotEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void fromStepPastTheLastRecordedStepOrNegativeIsRefusedNamingIt() throws Exception {
        RunRecord original = engine.schedule(RunnableDefinition.Kind.WORKFLOW, "pipeline", input("x", false));
        finished(original.id());
        int last = engine.steps(original.id()).stream()
                .mapToInt(StepRecord::seq)
                .max()
                .orElseThrow();
        for (int bad : new int[] {last + 2, 99, -1}) {
            assertThatThrownBy(() -> engine.fork(original.id(), bad, null, RunOptions.none()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("fromStep")
                    .satisfies(e -> assertThat(((InvalidInputException) e).violations())
                            .extracting(Violation::field)
                            .containsExactly("fromStep"));
        }
        assertThatThrownBy(() -> engine.fork(
                        original.id(), 0, JsonNodeFactory.instance.objectNode().put("fail", "no"), RunOptions.none()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> engine.fork("run_nope", 0, null, RunOptions.none()))
                .isInstanceOf(RunNotFoundException.class);
        // one past the last step copies everything: the fork ends as the original did
        RunRecord all = engine.fork(original.id(), last + 1, null, RunOptions.none());
        assertThat(finished(all.id()).output())
                .isEqualTo(engine.requireRun(original.id()).output());
        assertThat(executed("d")).isEqualTo(1);
    }
}
