package dev.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.ReplayResult;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs recorded on a real engine, exported, and replayed against today's code: unchanged code replays (and no step body
 * runs), a renamed or inserted step fails naming the position and both steps, code going on past the end of the history
 * replays, code ending before it does not; agents replay the events their history took.
 */
class TernReplayerTest {
    public record Order(String id, int cents) {}

    public record Receipt(String charge, String note) {}

    public record Start() {}

    public record Say(String text) {}

    public record Transcript(List<String> lines) {}

    enum Change {
        NONE,
        RENAMED,
        INSERTED,
        EXTRA_AT_THE_END,
        ENDS_EARLY
    }

    @TempDir
    Path dir;

    /** Step bodies executed; while {@link #replaying} is set a body that runs fails the test instead. */
    final AtomicInteger bodies = new AtomicInteger();

    volatile boolean replaying;

    String body(String result) {
        if (replaying) throw new AssertionError("a step body ran during a replay: " + result);
        bodies.incrementAndGet();
        return result;
    }

    /** 0 uuid, 1 reserve, 2 charge, 3 sleep, 4 email: as recorded; {@code change} says what today's code does. */
    WorkflowDefinition<Order, Receipt> checkout(Change change) {
        return WorkflowDefinition.of("checkout", Order.class, Receipt.class, (ctx, order) -> {
            String key = ctx.uuid().toString();
            ctx.step("reserve", String.class, () -> body("reserved " + order.id() + " " + key));
            if (change == Change.INSERTED) ctx.step("audit", String.class, () -> body("audited"));
            String charge = ctx.step(
                    change == Change.RENAMED ? "refund" : "charge",
                    String.class,
                    () -> body("charged " + order.cents()));
            if (change == Change.ENDS_EARLY) return new Receipt(charge, "no email");
            ctx.sleep(Duration.ofHours(1));
            String note = ctx.step("email", String.class, () -> body("emailed"));
            if (change == Change.EXTRA_AT_THE_END) ctx.step("survey", String.class, () -> body("surveyed"));
            return new Receipt(charge, note);
        });
    }

    /** Handles each {@code say} with one step named {@code stepName}, noting the events it handled in {@code seen}. */
    AgentDefinition<Start, List<String>, Transcript> shouter(String stepName, List<String> seen) {
        return AgentDefinition.<Start, List<String>, Transcript>builder(
                        "shouter", Start.class, Transcript.class, start -> new ArrayList<>())
                .on("say", Say.class, (ctx, lines, say) -> {
                    seen.add(say.text());
                    return lines.add(ctx.step(
                            stepName, String.class, () -> body(say.text().toUpperCase())));
                })
                .on("end", Start.class, (ctx, lines, end) -> lines.add("bye"))
                .run((ctx, lines, start) -> {
                    ctx.waitUntil(() -> lines.contains("bye"));
                    return new Transcript(lines);
                });
    }

    /** Records a completed run of checkout and returns its export as JSON text. */
    String recordedCheckout() {
        try (TernTestEnvironment env = TernTestEnvironment.start(
                Definitions.builder().workflow(checkout(Change.NONE)).build())) {
            String runId = env.start("checkout", new Order("o-1", 4200));
            assertThat(env.result(runId, Receipt.class).note()).isEqualTo("emailed");
            return env.engine().export(runId).toJson().toString();
        }
    }

    @Test
    void theUnchangedCodeReplaysWithoutRunningAStepBody() throws Exception {
        String exported = recordedCheckout();
        assertThat(bodies).hasValue(3);
        Path exportFile = Files.writeString(dir.resolve("checkout-run.json"), exported);
        WorkflowDefinition<Order, Receipt> checkout = checkout(Change.NONE);
        replaying = true;

        // README:replay:start
        // a run exported with GET /v1/runs/{runId}/export, kept with the tests
        String recorded = Files.readString(exportFile);
        TernReplayer.replay(checkout, recorded); // a NonDeterminismException names the step that changed
        // README:replay:end

        ReplayResult result = TernReplayer.replay(checkout, exportFile);
        assertThat(result.matches()).isTrue();
        assertThat(result.recordedSteps()).isEqualTo(5);
        assertThat(result.replayedSteps()).isEqualTo(5);
        assertThat(bodies).hasValue(3);
    }

    @Test
    void aRenamedStepFailsNamingThePositionAndBothSteps() {
        String exported = recordedCheckout();
        replaying = true;
        assertThatThrownBy(() -> TernReplayer.replay(checkout(Change.RENAMED), exported))
                .isInstanceOfSatisfying(NonDeterminismException.class, e -> {
                    assertThat(e.step()).isEqualTo(2);
                    assertThat(e.recordedName()).isEqualTo("charge");
                    assertThat(e.recordedKind()).isEqualTo(StepKind.FUNCTION);
                    assertThat(e.requestedName()).isEqualTo("refund");
                    assertThat(e.requestedKind()).isEqualTo(StepKind.FUNCTION);
                })
                .hasMessageContaining("workflow 'checkout'")
                .hasMessageEndingWith(
                        "step 2: the history has 'charge' (function) but the code asked for 'refund' " + "(function)");
        assertThat(bodies).hasValue(3);
    }

    @Test
    void aStepInsertedBeforeTheEndFails() {
        String exported = recordedCheckout();
        replaying = true;
        assertThatThrownBy(() -> TernReplayer.replay(checkout(Change.INSERTED), exported))
                .isInstanceOf(NonDeterminismException.class)
                .hasMessageEndingWith(
                        "step 2: the history has 'charge' (function) but the code asked for 'audit' (function)");
    }

    @Test
    void codeGoingOnPastTheEndOfTheHistoryReplays() {
        String completed = recordedCheckout();
        replaying = true;
        // the survey step after the recorded email is where the history ends: it is not executed
        ReplayResult result = TernReplayer.replay(checkout(Change.EXTRA_AT_THE_END), completed);
        assertThat(result.replayedSteps()).isEqualTo(5);
        replaying = false;

        // a run exported while it sleeps: its history ends at the sleep it began
        try (TernTestEnvironment env = TernTestEnvironment.start(
                Definitions.builder().workflow(checkout(Change.NONE)).build())) {
            String runId = env.start("checkout", new Order("o-2", 100));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> env.steps(runId).stream().anyMatch(s -> s.kind() == StepKind.SLEEP));
            String sleeping = env.engine().export(runId).toJson().toString();
            int before = bodies.get();
            replaying = true;
            ReplayResult partial = TernReplayer.replay(checkout(Change.NONE), sleeping);
            assertThat(partial.recordedSteps()).isEqualTo(4);
            assertThat(partial.replayedSteps()).isEqualTo(3);
            assertThat(bodies).hasValue(before);
            replaying = false;
        }
    }

    @Test
    void codeThatEndsBeforeTheHistoryDoesFails() {
        String exported = recordedCheckout();
        replaying = true;
        assertThatThrownBy(() -> TernReplayer.replay(checkout(Change.ENDS_EARLY), exported))
                .isInstanceOfSatisfying(
                        NonDeterminismException.class,
                        e -> assertThat(e.requestedName()).isNull())
                .hasMessageEndingWith("step 3: the history has 'sleep' (sleep) but the code asked for no step there: "
                        + "it returned");
    }

    @Test
    void aRecordedFailureReplaysAsTheSameFailureWithoutRunningTheStep() {
        WorkflowDefinition<Order, Receipt> payment =
                WorkflowDefinition.of("payment", Order.class, Receipt.class, (ctx, order) -> {
                    try {
                        return new Receipt(
                                ctx.step(
                                        "charge",
                                        StepOptions.defaults()
                                                .withRetry(
                                                        RetryPolicy.defaults().withMaxAttempts(1)),
                                        String.class,
                                        () -> {
                                            body("declined");
                                            throw new IllegalStateException("card declined");
                                        }),
                                "paid");
                    } catch (StepFailedException e) {
                        return new Receipt(ctx.step("apologize", String.class, () -> body("sorry")), e.getMessage());
                    }
                });
        String exported;
        try (TernTestEnvironment env = TernTestEnvironment.start(
                Definitions.builder().workflow(payment).build())) {
            String runId = env.start("payment", new Order("o-3", 1));
            assertThat(env.result(runId, Receipt.class).charge()).isEqualTo("sorry");
            exported = env.engine().export(runId).toJson().toString();
        }
        assertThat(bodies).hasValue(2);
        replaying = true;
        assertThat(TernReplayer.replay(payment, exported).replayedSteps()).isEqualTo(2);
        assertThat(bodies).hasValue(2);
    }

    @Test
    void anAgentReplaysTheEventsItsHistoryTook() {
        List<String> seenLive = new CopyOnWriteArrayList<>();
        String completed;
        String midway;
        try (TernTestEnvironment env = TernTestEnvironment.start(
                Definitions.builder().agent(shouter("shout", seenLive)).build())) {
            String runId = env.start("shouter", new Start());
            env.send(runId, "say", new Say("hello"));
            await().atMost(Duration.ofSeconds(20)).until(() -> env.steps(runId).size() == 2);
            midway = env.engine().export(runId).toJson().toString();
            env.send(runId, "say", new Say("bye"));
            env.send(runId, "end", new Start());
            assertThat(env.result(runId, Transcript.class).lines()).containsExactly("HELLO", "BYE", "bye");
            completed = env.engine().export(runId).toJson().toString();
            assertThat(env.steps(runId))
                    .extracting(StepRecord::name)
                    .containsExactly("say", "shout", "say", "shout", "end");
        }
        assertThat(bodies).hasValue(2);
        replaying = true;

        // the events come from the export, in the order the run took them
        List<String> seen = new ArrayList<>();
        assertThat(TernReplayer.replay(shouter("shout", seen), completed).replayedSteps())
                .isEqualTo(5);
        assertThat(seen).containsExactly("hello", "bye");
        // exported while waiting for its next event: the history ends at that wait
        assertThat(TernReplayer.replay(shouter("shout", new ArrayList<>()), midway)
                        .replayedSteps())
                .isEqualTo(2);
        assertThatThrownBy(() -> TernReplayer.replay(shouter("whisper", new ArrayList<>()), completed))
                .isInstanceOf(NonDeterminismException.class)
                .hasMessageContaining("agent 'shouter'")
                .hasMessageEndingWith(
                        "step 1: the history has 'shout' (function) but the code asked for 'whisper' (function)");
        assertThat(bodies).hasValue(2);
    }

    @Test
    void aDefinitionOfAnotherNameOrAnExportOfNothingIsRefused() {
        String exported = recordedCheckout();
        RunnableDefinition other = WorkflowDefinition.of("billing", Order.class, Receipt.class, (ctx, in) -> null);
        assertThatThrownBy(() -> TernReplayer.replay(other, exported))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workflow 'checkout'")
                .hasMessageContaining("workflow 'billing'");
        assertThatThrownBy(() -> TernReplayer.replay(checkout(Change.NONE), "{\"runId\": \"run_1\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.format");
        assertThatThrownBy(() ->
                        TernReplayer.replay(checkout(Change.NONE), exported.replace("\"version\":1", "\"version\":2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newer than this Tern reads");
    }
}
