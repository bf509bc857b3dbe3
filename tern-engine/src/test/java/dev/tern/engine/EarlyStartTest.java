package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run this node accepts starts while its creation is written: a quick first step commits with the creation, a run
 * whose first call reads the store finds itself, a slow first step does not hold up the answer, and a run that another
 * run may already hold (an idempotency key) waits for its creation before any step runs. On both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class EarlyStartTest {
    record In(int n) {}

    record Out(int n) {}

    /** How many times the keyed workflow's step ran, and the gate the slow workflow's first step waits at. */
    static final AtomicInteger keyedSteps = new AtomicInteger();

    static volatile CountDownLatch gate = new CountDownLatch(1);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        keyedSteps.set(0);
        gate = new CountDownLatch(1);
        fixture = new EngineFixture(store, dir);
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "one-step", In.class, Out.class, (ctx, in) -> new Out(ctx.step("s", Integer.class, in::n))))
                .workflow(WorkflowDefinition.of("child-first", In.class, Out.class, (ctx, in) -> {
                    Out child = ctx.runChild("one-step", new In(in.n() + 1), Out.class);
                    return new Out(child.n() * 10);
                }))
                .workflow(WorkflowDefinition.of("event-first", In.class, Out.class, (ctx, in) -> {
                    In go = ctx.awaitEvent("go", In.class);
                    return new Out(ctx.step("after", Integer.class, () -> in.n() + go.n()));
                }))
                .workflow(WorkflowDefinition.of("three-steps", In.class, Out.class, (ctx, in) -> {
                    int a = ctx.step("a", Integer.class, () -> in.n() + 1);
                    int b = ctx.step("b", Integer.class, () -> a * 2);
                    return new Out(ctx.step("c", Integer.class, () -> b + 1));
                }))
                .workflow(WorkflowDefinition.of("keyed", In.class, Out.class, (ctx, in) -> {
                    ctx.step("count", Integer.class, keyedSteps::incrementAndGet);
                    return new Out(in.n());
                }))
                .workflow(WorkflowDefinition.of("slow-first", In.class, Out.class, (ctx, in) -> {
                    ctx.step("wait-at-gate", Boolean.class, () -> gate.await(30, TimeUnit.SECONDS));
                    return new Out(in.n());
                }))
                .build();
        engine = fixture.start(
                definitions,
                fixture.config()
                        .withObservability(Observability.of(meters, io.opentelemetry.api.OpenTelemetry.noop())));
    }

    @AfterEach
    void stop() {
        gate.countDown();
        fixture.close();
    }

    private long commits() {
        var timer = meters.find("tern.store.commit").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aQuickOneStepRunIsCreatedAndEndedInOneCommit() throws Exception {
        for (int i = 0; i < 50; i++)
            engine.awaitCompletion(engine.start("one-step", new In(-i)), Duration.ofSeconds(10));
        int runs = 50;
        long before = commits();
        for (int i = 1; i <= runs; i++) {
            RunRecord run = engine.awaitCompletion(engine.start("one-step", new In(i)), Duration.ofSeconds(10));
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("n").asInt()).isEqualTo(i);
        }
        // two commits a run when the creation commits before the run starts (the lease renewals add one or two); the
        // run's end shares the creation's commit when the run reaches it within the creation's short wait for company
        long commits = commits() - before;
        assertThat(commits).isLessThan(runs * 2);
        String last = engine.start("one-step", new In(99));
        engine.awaitCompletion(last, Duration.ofSeconds(10));
        assertThat(engine.history(last, 0, 100).stream().map(HistoryEvent::type))
                .containsExactly(
                        HistoryEventType.RUN_CREATED,
                        HistoryEventType.ATTEMPT_STARTED,
                        HistoryEventType.STEP_STARTED,
                        HistoryEventType.STEP_COMPLETED,
                        HistoryEventType.RUN_COMPLETED);
    }

    @Test
    void runsStartedTogetherEachKeepTheirHistoryInOrder() throws Exception {
        // 64 runs at once: their creations and first checkpoints share batches with each other's writes, and the
        // store joins a creation with its first checkpoint where it can; every run must read as if written one by one
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) ids.add(engine.start("three-steps", new In(i)));
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(30));
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("n").asInt()).isEqualTo((i + 1) * 2 + 1);
            List<HistoryEvent> history = engine.history(id, 0, 100);
            assertThat(history.stream().map(HistoryEvent::type))
                    .containsExactly(
                            HistoryEventType.RUN_CREATED,
                            HistoryEventType.ATTEMPT_STARTED,
                            HistoryEventType.STEP_STARTED,
                            HistoryEventType.STEP_COMPLETED,
                            HistoryEventType.STEP_STARTED,
                            HistoryEventType.STEP_COMPLETED,
                            HistoryEventType.STEP_STARTED,
                            HistoryEventType.STEP_COMPLETED,
                            HistoryEventType.RUN_COMPLETED);
            assertThat(history.stream().map(HistoryEvent::eventSequence))
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(engine.steps(id).stream().map(StepRecord::name)).containsExactly("a", "b", "c");
            assertThat(engine.attempts(id)).hasSize(1);
        }
    }

    @Test
    void aRunWhoseFirstCallReadsTheStoreFindsItself() throws Exception {
        RunRecord parent = engine.awaitCompletion(engine.start("child-first", new In(4)), Duration.ofSeconds(20));
        assertThat(parent.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(parent.output().get("n").asInt()).isEqualTo(50);
        // one attempt: a run that did not find itself would have stopped, and been taken over once its lease lapsed
        assertThat(engine.attempts(parent.id())).hasSize(1);

        String waiting = engine.start("event-first", new In(1));
        engine.sendEvent(waiting, "go", TernJson.tree(new In(2)));
        RunRecord done = engine.awaitCompletion(waiting, Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("n").asInt()).isEqualTo(3);
        assertThat(engine.attempts(waiting)).hasSize(1);
    }

    @Test
    void theCreatorIsAnsweredWhileTheFirstStepStillRuns() throws Exception {
        String id = engine.start("slow-first", new In(7));
        RunRecord running = engine.requireRun(id);
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(gate.getCount()).isEqualTo(1);
        gate.countDown();
        assertThat(engine.awaitCompletion(id, Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aRunUnderAnIdempotencyKeyRunsNoStepForARetriedRequest() throws Exception {
        RunOptions key = RunOptions.none().withIdempotencyKey("once");
        String first = engine.scheduleRun(null, "keyed", TernJson.tree(new In(1)), key)
                .run()
                .id();
        engine.awaitCompletion(first, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(engine.scheduleRun(null, "keyed", TernJson.tree(new In(1)), key)
                            .run()
                            .id())
                    .isEqualTo(first);
        }
        assertThat(keyedSteps.get()).isEqualTo(1);
    }
}
