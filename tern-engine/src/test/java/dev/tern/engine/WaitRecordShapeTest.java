package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins the JSON that durable waits write into a run's steps and history, key by key and in key order: histories
 * recorded by one version of Tern must replay on the next, so this shape only ever changes on purpose (with a reader
 * for the old one).
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class WaitRecordShapeTest {
    record Note(String text) {}

    record Approval(boolean approved, @Nullable String comment) {}

    record N(int n) {}

    record Out(String result) {}

    static final String TIME = "\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"";
    static final String INTERACTION = "\"int_[0-9a-z]{20}\"";
    static final String RUN = "\"run_[a-zA-Z0-9]+\"";

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("shapes", N.class, Out.class, (ctx, in) -> {
                    ctx.sleep(Duration.ofMillis(20));
                    Note go = ctx.awaitEvent("go", Note.class);
                    Optional<Note> late = ctx.awaitEvent("late", Note.class, Duration.ofMillis(20));
                    Approval yes = ctx.askHuman(
                                    HumanQuestion.of("ok?").withTimeout(Duration.ofMinutes(5)), Approval.class)
                            .orElseThrow();
                    Optional<Approval> quick =
                            ctx.askHuman(HumanQuestion.of("quick?").withTimeout(Duration.ofMillis(20)), Approval.class);
                    ChildRun kid = ctx.startChild("square", new N(3));
                    N nine = ctx.awaitChild(kid, N.class);
                    ChildRun bad = ctx.startChild("boom", new N(1));
                    String failure;
                    try {
                        ctx.awaitChild(bad, N.class);
                        failure = "none";
                    } catch (ChildFailedException e) {
                        failure = e.status();
                    }
                    return new Out(go.text() + "," + late.isPresent() + "," + yes.comment() + "," + quick.isPresent()
                            + "," + nine.n() + "," + failure);
                }))
                .workflow(WorkflowDefinition.of("square", N.class, N.class, (ctx, in) -> new N(in.n() * in.n())))
                .workflow(WorkflowDefinition.of("boom", N.class, N.class, (ctx, in) -> {
                    throw new IllegalStateException("boom " + in.n());
                }))
                .build();
    }

    @Test
    void waitsWriteTheirStepsAndHistoryInTheRecordedShape() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("shapes", new N(0));
            engine.send(id, "go", new Note("hi"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !engine.interactions(id).isEmpty());
            StepRecord asking = engine.steps(id).get(4);
            assertThat(asking.status()).isEqualTo(StepRecord.WAITING);
            assertThat(Json.write(asking.output()))
                    .matches("\\{\"interactionId\":" + INTERACTION + ",\"timeoutAt\":" + TIME + "}");
            engine.answer(id, engine.interactions(id).get(0).id(), Json.tree(new Approval(true, "fine")));

            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));
            assertThat(run.output().get("result").asText()).isEqualTo("hi,false,fine,false,9,failed");
            List<StepRecord> steps = engine.steps(id);
            assertThat(steps)
                    .extracting(s -> s.kind().wireName() + " " + s.name() + " " + s.status())
                    .containsExactly(
                            "sleep sleep completed",
                            "event go completed",
                            "now now completed",
                            "event late completed",
                            "human human completed",
                            "human human completed",
                            "child child:square completed",
                            "child await:" + childId(steps, 6) + " completed",
                            "child child:boom completed",
                            "child await:" + childId(steps, 8) + " completed");

            assertThat(text(steps.get(0).input())).isEqualTo("{\"durationMs\":20}");
            assertThat(text(steps.get(0).output())).matches("\\{\"wakeAt\":" + TIME + "}");
            assertThat(steps.get(1).input()).isNull();
            assertThat(text(steps.get(1).output()))
                    .matches("\\{\"eventName\":\"go\",\"inboxSequence\":\\d+,\"eventInput\":\\{\"text\":\"hi\"}}");
            assertThat(text(steps.get(3).output())).isEqualTo("{\"timedOut\":true}");
            assertThat(text(steps.get(4).input())).isEqualTo("{\"prompt\":\"ok?\"}");
            assertThat(text(steps.get(4).output()))
                    .matches("\\{\"interactionId\":" + INTERACTION
                            + ",\"answer\":\\{\"approved\":true,\"comment\":\"fine\"}}");
            assertThat(text(steps.get(5).output()))
                    .matches("\\{\"interactionId\":" + INTERACTION + ",\"timedOut\":true}");
            assertThat(text(steps.get(6).input())).isEqualTo("{\"n\":3}");
            assertThat(text(steps.get(6).output())).matches("\\{\"childRunId\":" + RUN + ",\"name\":\"square\"}");
            assertThat(steps.get(7).input()).isNull();
            assertThat(text(steps.get(7).output()))
                    .isEqualTo("{\"childRunId\":\"" + childId(steps, 6)
                            + "\",\"status\":\"completed\",\"output\":{\"n\":9}}");
            assertThat(text(steps.get(9).output()))
                    .matches("\\{\"childRunId\":\"" + childId(steps, 8)
                            + "\",\"status\":\"failed\",\"error\":\\{\"type\":\"[^\"]+\","
                            + "\"message\":\"[^\"]*boom 1[^\"]*\",.*}}");

            assertThat(history(engine, id, 0))
                    .containsExactly(
                            "timer_started {\"wakeAt\":\""
                                    + steps.get(0).output().get("wakeAt").asText() + "\"}",
                            "step_completed {\"name\":\"sleep\"}");
            assertThat(history(engine, id, 1))
                    .containsExactly("step_completed " + text(steps.get(1).output()));
            assertThat(history(engine, id, 3)).containsExactly("step_completed {\"timedOut\":true}");
            String asked = steps.get(4).output().get("interactionId").asText();
            assertThat(history(engine, id, 4))
                    .containsExactly("step_completed {\"name\":\"human\",\"interactionId\":\"" + asked + "\"}");
            assertThat(history(engine, id, 7))
                    .containsExactly("step_completed {\"name\":\"await:" + childId(steps, 6)
                            + "\",\"childStatus\":\"completed\"}");
            assertThat(history(engine, id, 9))
                    .containsExactly(
                            "step_completed {\"name\":\"await:" + childId(steps, 8) + "\",\"childStatus\":\"failed\"}");
        }
    }

    static String text(com.fasterxml.jackson.databind.JsonNode node) {
        return Json.write(node);
    }

    static String childId(List<StepRecord> steps, int seq) {
        return steps.get(seq).output().get("childRunId").asText();
    }

    /** The run's history events of step {@code seq} that its own checkpoints write, as "type data". */
    static List<String> history(TernEngine engine, String runId, int seq) {
        return engine.history(runId, 0, 1000).stream()
                .filter(e -> e.stepSeq() != null && e.stepSeq() == seq)
                .filter(e -> e.type() == HistoryEventType.TIMER_STARTED || e.type() == HistoryEventType.STEP_COMPLETED)
                .map(e -> e.type().wireName() + " " + text(e.data()))
                .toList();
    }
}
