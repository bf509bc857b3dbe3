package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(StoreKind.class)
class RetryTest {
    record In(int failures) {}

    record Out(String result) {}

    static class Unrecoverable extends RuntimeException {
        Unrecoverable(String m) {
            super(m);
        }
    }

    static final RetryPolicy FAST = RetryPolicy.defaults()
            .withMaxAttempts(4)
            .withInitialInterval(Duration.ofMillis(100))
            .withBackoffCoefficient(2.0)
            .withMaxInterval(Duration.ofMillis(300))
            .withNonRetryable(Unrecoverable.class);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;
    final AtomicInteger executions = new AtomicInteger();

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "failing", In.class, Out.class, (ctx, in) -> new Out(flakyStep(ctx, in.failures()))))
                .workflow(WorkflowDefinition.of(
                        "nonRetryable",
                        In.class,
                        Out.class,
                        (ctx, in) ->
                                new Out(ctx.step("boom", StepOptions.defaults().withRetry(FAST), String.class, () -> {
                                    executions.incrementAndGet();
                                    throw new Unrecoverable("cannot work");
                                }))))
                .workflow(WorkflowDefinition.of(
                        "marker",
                        In.class,
                        Out.class,
                        (ctx, in) ->
                                new Out(ctx.step("boom", StepOptions.defaults().withRetry(FAST), String.class, () -> {
                                    executions.incrementAndGet();
                                    throw new NonRetryableException("bad request");
                                }))))
                .workflow(WorkflowDefinition.of("compensating", In.class, Out.class, (ctx, in) -> {
                    try {
                        return new Out(flakyStep(ctx, in.failures()));
                    } catch (StepFailedException e) {
                        String undone = ctx.step("compensate", String.class, () -> "undone after " + e.attempts());
                        return new Out(undone);
                    }
                }))
                .workflow(WorkflowDefinition.of(
                        "slow",
                        In.class,
                        Out.class,
                        (ctx, in) -> new Out(ctx.step(
                                "slow",
                                StepOptions.defaults()
                                        .withRetry(FAST.withMaxAttempts(2))
                                        .withTimeout(Duration.ofMillis(100)),
                                String.class,
                                () -> {
                                    executions.incrementAndGet();
                                    Thread.sleep(5_000);
                                    return "never";
                                }))))
                .build());
    }

    String flakyStep(dev.tern.sdk.WorkflowContext ctx, int failures) {
        return ctx.step("flaky", StepOptions.defaults().withRetry(FAST), String.class, () -> {
            int n = executions.incrementAndGet();
            if (n <= failures) throw new IllegalStateException("failure " + n);
            return "ok after " + n;
        });
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void retriesWithBackoffAndRecordsEachAttempt() throws Exception {
        String id = engine.start("failing", new In(3));
        RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().get("result").asText()).isEqualTo("ok after 4");
        assertThat(run).as("the run as its end left it is the run as read").isEqualTo(engine.requireRun(id));
        List<HistoryEvent> history = engine.history(id, 0, 1000);
        List<HistoryEvent> retries = history.stream()
                .filter(e -> e.type() == HistoryEventType.STEP_RETRYING)
                .toList();
        assertThat(retries).extracting(e -> e.data().get("delayMs").asLong()).containsExactly(100L, 200L, 300L);
        List<HistoryEvent> starts = history.stream()
                .filter(e -> e.type() == HistoryEventType.STEP_STARTED)
                .toList();
        assertThat(starts).extracting(e -> e.data().get("attempt").asInt()).containsExactly(1, 2, 3, 4);
        for (int i = 1; i < starts.size(); i++) {
            long gap =
                    Duration.between(starts.get(i - 1).at(), starts.get(i).at()).toMillis();
            assertThat(gap)
                    .isGreaterThanOrEqualTo(
                            retries.get(i - 1).data().get("delayMs").asLong() - 5);
        }
        assertThat(engine.steps(id).get(0).attempts()).isEqualTo(4);
    }

    @Test
    void exhaustedStepFailsTheRunWithTheStepsError() throws Exception {
        String id = engine.start("failing", new In(10));
        RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(executions).hasValue(4);
        assertThat(run.error().type()).isEqualTo("InvalidState");
        assertThat(run.error().errorId()).isNotBlank();
        assertThat(run.error().message()).doesNotContain("java.").doesNotContain("IllegalStateException");
        assertThat(run.error().step()).isEqualTo("flaky");
        assertThat(run.error().message()).contains("failure 4");
        assertThat(run).isEqualTo(engine.requireRun(id));
    }

    @Test
    void workflowCodeMayCatchAFailedStep() throws Exception {
        String id = engine.start("compensating", new In(10));
        RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().get("result").asText()).isEqualTo("undone after 4");
    }

    @Test
    void nonRetryableErrorsFailAtOnce() throws Exception {
        RunRecord byType = engine.awaitCompletion(engine.start("nonRetryable", new In(0)), Duration.ofSeconds(10));
        assertThat(byType.status()).isEqualTo(RunStatus.FAILED);
        assertThat(executions).hasValue(1);

        RunRecord byMarker = engine.awaitCompletion(engine.start("marker", new In(0)), Duration.ofSeconds(10));
        assertThat(byMarker.status()).isEqualTo(RunStatus.FAILED);
        assertThat(byMarker.error().type()).isEqualTo("NonRetryable");
        assertThat(executions).hasValue(2);
    }

    @Test
    void anAttemptPastItsTimeoutIsInterruptedAndRetried() throws Exception {
        RunRecord run = engine.awaitCompletion(engine.start("slow", new In(0)), Duration.ofSeconds(10));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(executions).hasValue(2);
        assertThat(run.error().message()).contains("timed out after 100 ms");
    }
}
