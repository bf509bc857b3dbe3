package dev.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.RunStatus;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test kit against real definitions: time skipping, explicit advances, questions, events, failures. */
class TernTestEnvironmentTest {
    public record Days(int days) {}

    public record Slept(long startedAt, long wokeAt) {}

    public record Approval(boolean approved) {}

    public record Decision(String outcome) {}

    public record Start() {}

    public record Say(String text) {}

    public record Transcript(List<String> lines) {}

    static final WorkflowDefinition<Days, Slept> SLEEPER =
            WorkflowDefinition.of("sleeper", Days.class, Slept.class, (ctx, in) -> {
                long started = ctx.now().toEpochMilli();
                ctx.sleep(Duration.ofDays(in.days()));
                return new Slept(started, ctx.now().toEpochMilli());
            });

    static final AtomicInteger FLAKY_CALLS = new AtomicInteger();

    static final WorkflowDefinition<Days, Decision> PATIENT = WorkflowDefinition.of(
            "patient",
            Days.class,
            Decision.class,
            (ctx, in) -> new Decision(ctx.step(
                    "flaky",
                    StepOptions.defaults()
                            .withRetry(RetryPolicy.defaults()
                                    .withMaxAttempts(3)
                                    .withInitialInterval(Duration.ofHours(1))
                                    .withMaxInterval(Duration.ofHours(2))),
                    String.class,
                    () -> {
                        if (FLAKY_CALLS.incrementAndGet() < 3) throw new IllegalStateException("not yet");
                        return "done after " + FLAKY_CALLS.get();
                    })));

    static final WorkflowDefinition<Days, Decision> ASKING =
            WorkflowDefinition.of("asking", Days.class, Decision.class, (ctx, in) -> {
                Optional<Approval> answer = ctx.askHuman(
                        HumanQuestion.of("Ship it?").withTimeout(Duration.ofDays(in.days())), Approval.class);
                return new Decision(
                        answer.map(a -> a.approved() ? "approved" : "rejected").orElse("timed out"));
            });

    static final WorkflowDefinition<Days, Decision> EVENTFUL = WorkflowDefinition.of(
            "eventful",
            Days.class,
            Decision.class,
            (ctx, in) -> new Decision(ctx.awaitEvent("go", Say.class, Duration.ofDays(in.days()))
                    .map(Say::text)
                    .orElse("no event")));

    static final AgentDefinition<Start, List<String>, Transcript> ECHO =
            AgentDefinition.<Start, List<String>, Transcript>builder(
                            "echo", Start.class, Transcript.class, start -> new ArrayList<>())
                    .on(
                            "say",
                            Say.class,
                            (ctx, lines, say) -> lines.add(ctx.step(
                                    "shout", String.class, () -> say.text().toUpperCase())))
                    .on("end", Start.class, (ctx, lines, end) -> lines.add("bye"))
                    .run((ctx, lines, start) -> {
                        ctx.waitUntil(() -> lines.contains("bye"));
                        return new Transcript(lines);
                    });

    static Definitions definitions() {
        return Definitions.builder()
                .workflow(SLEEPER)
                .workflow(PATIENT)
                .workflow(ASKING)
                .workflow(EVENTFUL)
                .agent(ECHO)
                .build();
    }

    @Test
    void aWeekLongSleepTakesMilliseconds() {
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            Instant before = env.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            long realStart = System.nanoTime();
            Slept slept = env.result(env.start("sleeper", new Days(7)), Slept.class);
            assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofSeconds(10));
            assertThat(slept.wokeAt() - slept.startedAt())
                    .isGreaterThanOrEqualTo(Duration.ofDays(7).toMillis());
            assertThat(Duration.between(before, env.now())).isGreaterThanOrEqualTo(Duration.ofDays(7));
        }
    }

    @Test
    void advanceMovesTheClockExplicitly() {
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            String runId = env.start("sleeper", new Days(1));
            env.advance(Duration.ofHours(23));
            assertThat(env.run(runId).status()).isEqualTo(RunStatus.RUNNING);
            env.advance(Duration.ofHours(1));
            assertThat(env.await(runId).status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    @Test
    void retriesBackOffInVirtualTime() {
        FLAKY_CALLS.set(0);
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            Instant before = env.now();
            assertThat(env.result(env.start("patient", new Days(0)), Decision.class)
                            .outcome())
                    .isEqualTo("done after 3");
            assertThat(Duration.between(before, env.now())).isGreaterThanOrEqualTo(Duration.ofHours(3));
        }
    }

    @Test
    void aQuestionWaitsForTheTestAndTimesOutOnlyWhenTimeIsSkipped() {
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            String answered = env.start("asking", new Days(2));
            assertThat(env.awaitQuestion(answered).prompt()).isEqualTo("Ship it?");
            env.answer(answered, new Approval(true));
            assertThat(env.result(answered, Decision.class).outcome()).isEqualTo("approved");

            String ignored = env.start("asking", new Days(2));
            assertThat(env.result(ignored, Decision.class).outcome()).isEqualTo("timed out");
        }
    }

    @Test
    void eventsAndAgents() {
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            String waiting = env.start("eventful", new Days(1));
            env.send(waiting, "go", new Say("now"));
            assertThat(env.result(waiting, Decision.class).outcome()).isEqualTo("now");
            assertThat(env.result(env.start("eventful", new Days(1)), Decision.class)
                            .outcome())
                    .isEqualTo("no event");

            String agent = env.start("echo", new Start());
            env.send(agent, "say", new Say("hi"));
            env.send(agent, "end", new Start());
            assertThat(env.result(agent, Transcript.class).lines()).containsExactly("HI", "bye");
            assertThat(env.steps(agent)).extracting(s -> s.name()).contains("shout");
        }
    }

    @Test
    void schedulesFireOnTheTestsClock() {
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            var schedule = env.engine()
                    .schedules()
                    .create(dev.tern.engine.ScheduleSpec.every(
                            "sleeper", TestJson.tree(new Days(0)), Duration.ofHours(6)));
            assertThat(env.engine().schedules().runs(schedule.id(), 10)).isEmpty();
            for (int fired = 1; fired <= 3; fired++) {
                env.advance(Duration.ofHours(6));
                int expected = fired;
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() ->
                                env.engine().schedules().runs(schedule.id(), 10).size() == expected);
            }
            env.engine()
                    .schedules()
                    .runs(schedule.id(), 10)
                    .forEach(run -> assertThat(env.await(run.id()).status()).isEqualTo(RunStatus.COMPLETED));
        }
    }

    @Test
    void aFailedRunFailsTheTestWithItsError() {
        FLAKY_CALLS.set(-100);
        try (TernTestEnvironment env = TernTestEnvironment.start(definitions())) {
            String runId = env.start("patient", new Days(0));
            assertThatThrownBy(() -> env.result(runId, Decision.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("failed")
                    .hasMessageContaining("not yet");
        }
    }
}
