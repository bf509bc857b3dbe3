package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.Limit;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.StepCall;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import dev.tern.sdk.StepUsage;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Human in the loop, deadlines, children and parallel steps, idempotency, limits shown as queued, typed steps with
 * usage.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AgentFeaturesTest {
    record Empty() {}

    record Approval(boolean approved, @Nullable String comment) {}

    record Out(String result) {}

    record N(int n) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    final AtomicInteger draftRuns = new AtomicInteger();
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final AtomicInteger slowInterrupted = new AtomicInteger();

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("approval", Empty.class, Out.class, (ctx, in) -> {
                    String draft = ctx.step("draft", String.class, () -> "draft #" + draftRuns.incrementAndGet());
                    Approval a = ctx.askHuman("Publish " + draft + "?", Approval.class);
                    return new Out((a.approved() ? "published " : "rejected ")
                            + draft
                            + (a.comment() == null ? "" : " (" + a.comment() + ")"));
                }))
                .workflow(WorkflowDefinition.of("impatient", Empty.class, Out.class, (ctx, in) -> {
                    Optional<Approval> a = ctx.askHuman(
                            HumanQuestion.of("quick?").withTimeout(Duration.ofMillis(600)), Approval.class);
                    return new Out(a.map(x -> "answered").orElse("timed out"));
                }))
                .workflow(WorkflowDefinition.of("slow", N.class, Out.class, (ctx, in) -> {
                    ctx.step("first", String.class, () -> "ok");
                    return new Out(ctx.step("forever", String.class, () -> {
                        slowStarted.countDown();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            slowInterrupted.incrementAndGet();
                            throw e;
                        }
                        return "never";
                    }));
                }))
                .workflow(WorkflowDefinition.of("square", N.class, N.class, (ctx, in) -> {
                    count("square");
                    return new N(ctx.step("square", Integer.class, () -> in.n() * in.n()));
                }))
                .workflow(WorkflowDefinition.of("boom", N.class, N.class, (ctx, in) -> {
                    throw new IllegalStateException("boom " + in.n());
                }))
                .workflow(WorkflowDefinition.of("fanout", N.class, Out.class, (ctx, in) -> {
                    List<ChildRun> children = new ArrayList<>();
                    for (int i = 1; i <= in.n(); i++) children.add(ctx.startChild("square", new N(i)));
                    int sum = ctx.awaitAll(children, N.class).stream()
                            .mapToInt(N::n)
                            .sum();
                    String failure;
                    try {
                        ctx.runChild("boom", new N(7), N.class);
                        failure = "none";
                    } catch (ChildFailedException e) {
                        failure = e.status() + ":" + e.errorType();
                    }
                    return new Out(sum + "/" + failure);
                }))
                .workflow(WorkflowDefinition.of("parent", N.class, Out.class, (ctx, in) -> {
                    ChildRun child = ctx.startChild("slow", new N(1));
                    return new Out(ctx.awaitChild(child, Out.class).result());
                }))
                .workflow(WorkflowDefinition.of("parallel", N.class, Out.class, (ctx, in) -> {
                    List<StepCall<Integer>> calls = new ArrayList<>();
                    for (int i = 0; i < in.n(); i++) {
                        int k = i;
                        calls.add(StepCall.of("part-" + k, Integer.class, () -> {
                            count("part-" + k);
                            Thread.sleep(200);
                            return k * 10;
                        }));
                    }
                    List<Integer> parts = ctx.parallel(calls);
                    ctx.sleep(Duration.ofMillis(400));
                    return new Out(parts.toString());
                }))
                .workflow(WorkflowDefinition.of("llm", N.class, Out.class, (ctx, in) -> {
                    ctx.step("think", StepOptions.of(StepType.THOUGHT), String.class, () -> {
                        StepUsage.report(100, 20, 0.001);
                        return "hmm";
                    });
                    ctx.step(
                            "search",
                            StepOptions.of(StepType.TOOL_CALL).withLimit(Limit.queue("llm-test", 1, 0)),
                            String.class,
                            () -> {
                                StepUsage.report(50, 5, 0.0005);
                                Thread.sleep(in.n());
                                return "found";
                            });
                    return new Out("done");
                }))
                .build();
    }

    void count(String key) {
        executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    TernEngine start() {
        fixture = new EngineFixture(store, dir);
        return fixture.start(definitions());
    }

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    @Test
    void askHumanSuspendsAsAwaitingHumanAndResumesOnTheAnswerEvenAfterACrash() throws Exception {
        TernEngine engine = start();
        String id = engine.start("approval", new Empty());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.requireRun(id).status() == RunStatus.AWAITING_HUMAN
                        && engine.requireRun(id).suspended());
        RunRecord waiting = engine.requireRun(id);
        InteractionRecord question = engine.interactions(id).get(0);
        assertThat(waiting.waiting().blockingInteractionId()).isEqualTo(question.id());
        assertThat(waiting.waiting().waitingSince()).isNotNull();
        assertThat(question.prompt()).isEqualTo("Publish draft #1?");
        assertThat(question.answerSchema().get("required").toString()).contains("approved");
        assertThat(engine.runs(new RunQuery(null, "approval", RunStatus.AWAITING_HUMAN, 10, null))
                        .runs())
                .extracting(RunRecord::id)
                .containsExactly(id);

        fixture.crash();
        TernEngine restarted = fixture.start(definitions());
        ObjectNode bad = JsonNodeFactory.instance.objectNode().put("approved", "yes");
        assertThatThrownBy(() -> restarted.answer(id, question.id(), bad))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).violations())
                        .extracting(Violation::field)
                        .contains("$.approved"));
        assertThatThrownBy(() -> restarted.answer(id, "int_nope", bad))
                .isInstanceOf(InteractionNotFoundException.class);

        InteractionRecord answered = restarted.answer(id, question.id(), Json.tree(new Approval(true, "ship it")));
        assertThat(answered.status()).isEqualTo(InteractionRecord.ANSWERED);
        assertThatThrownBy(() -> restarted.answer(id, question.id(), Json.tree(new Approval(false, null))))
                .isInstanceOf(RunStateException.class);

        RunRecord done = restarted.awaitCompletion(id, Duration.ofSeconds(15));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("result").asText()).isEqualTo("published draft #1 (ship it)");
        assertThat(draftRuns.get()).isEqualTo(1);
        assertThat(restarted.history(id, 0, 1000))
                .extracting(HistoryEvent::type)
                .contains(HistoryEventType.INTERACTION_OPENED, HistoryEventType.INTERACTION_ANSWERED);
    }

    @Test
    void anUnansweredQuestionTimesOut() throws Exception {
        TernEngine engine = start();
        String id = engine.start("impatient", new Empty());
        RunRecord done = engine.awaitCompletion(id, Duration.ofSeconds(15));
        assertThat(done.output().get("result").asText()).isEqualTo("timed out");
        assertThat(engine.interactions(id).get(0).status()).isEqualTo(InteractionRecord.TIMED_OUT);
    }

    @Test
    void aRunPastItsDeadlineFailsWithATimeoutAndItsRunningStepIsInterrupted() throws Exception {
        TernEngine engine = start();
        RunRecord run = engine.schedule(
                null,
                "slow",
                Json.tree(new N(1)),
                RunOptions.none().withTimeout(Duration.ofMillis(1500), Instant.now()));
        assertThat(run.deadlineAt()).isNotNull();
        RunRecord done = engine.awaitCompletion(run.id(), Duration.ofSeconds(15));
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.error().type()).isEqualTo("DeadlineExceeded");
        assertThat(slowInterrupted.get()).isEqualTo(1);
    }

    @Test
    void aSuspendedRunFailsAtItsDeadline() throws Exception {
        TernEngine engine = start();
        RunRecord run = engine.schedule(
                null,
                "approval",
                Json.tree(new Empty()),
                RunOptions.none().withTimeout(Duration.ofMillis(1200), Instant.now()));
        RunRecord done = engine.awaitCompletion(run.id(), Duration.ofSeconds(15));
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.error().type()).isEqualTo("DeadlineExceeded");
        assertThat(engine.interactions(run.id()).get(0).status()).isEqualTo("closed");
    }

    @Test
    void childrenFanOutAndInWithFailuresReportedToTheParent() throws Exception {
        TernEngine engine = start();
        String id = engine.start("fanout", new N(4));
        RunRecord done = engine.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("result").asText()).isEqualTo("30/failed:InvalidState");
        List<RunRecord> children = engine.runs(new RunQuery(null, null, null, 50, null).withParent(id))
                .runs();
        assertThat(children)
                .hasSize(5)
                .allSatisfy(c -> assertThat(c.links().parentId()).isEqualTo(id));
        assertThat(executions.get("square").get()).isEqualTo(4);
    }

    @Test
    void cancellingAParentCancelsItsChildren() throws Exception {
        TernEngine engine = start();
        String id = engine.start("parent", new N(1));
        slowStarted.await();
        String child = engine.runs(new RunQuery(null, null, null, 5, null).withParent(id))
                .runs()
                .get(0)
                .id();
        engine.cancel(id);
        assertThat(engine.awaitCompletion(id, Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.CANCELLED);
        RunRecord c = engine.awaitCompletion(child, Duration.ofSeconds(10));
        assertThat(c.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(c.error().message()).contains(id);
    }

    @Test
    void parallelStepsRunAtOnceAndReplayWithoutRunningAgain() throws Exception {
        TernEngine engine = start();
        String id = engine.start("parallel", new N(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.steps(id).size() >= 6);
        List<StepRecord> parts = engine.steps(id).subList(0, 5);
        Instant firstStart = parts.stream()
                .map(StepRecord::startedAt)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant lastStart = parts.stream()
                .map(StepRecord::startedAt)
                .max(Instant::compareTo)
                .orElseThrow();
        Instant firstEnd = parts.stream()
                .map(StepRecord::completedAt)
                .min(Instant::compareTo)
                .orElseThrow();
        assertThat(lastStart).as("every part started before the first finished").isBefore(firstEnd);
        assertThat(Duration.between(firstStart, lastStart)).isLessThan(Duration.ofMillis(200));
        fixture.crash();
        TernEngine restarted = fixture.start(definitions());
        RunRecord done = restarted.awaitCompletion(id, Duration.ofSeconds(15));
        assertThat(done.output().get("result").asText()).isEqualTo("[0, 10, 20, 30, 40]");
        for (int k = 0; k < 5; k++)
            assertThat(executions.get("part-" + k).get()).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameRun() {
        TernEngine engine = start();
        RunOptions options = RunOptions.none().withIdempotencyKey("order-42").withThreadId("thread-1");
        RunRecord first = engine.schedule(null, "square", Json.tree(new N(3)), options);
        RunRecord second = engine.schedule(null, "square", Json.tree(new N(3)), options);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.idempotencyKey()).isEqualTo("order-42");
        assertThatThrownBy(() -> engine.schedule(null, "boom", Json.tree(new N(1)), options))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThatThrownBy(() -> engine.schedule(
                        null, "square", Json.tree(new N(1)), RunOptions.none().withIdempotencyKey("bad key!")))
                .isInstanceOf(InvalidInputException.class);
        engine.schedule(null, "square", Json.tree(new N(4)), RunOptions.none().withThreadId("thread-1"));
        assertThat(engine.runs(new RunQuery(null, null, null, 10, null).withThread("thread-1"))
                        .runs())
                .hasSize(2);
    }

    @Test
    void aRunWaitingOnALimitShowsQueuedAndStepsRecordTypesAndUsage() throws Exception {
        TernEngine engine = start();
        String holder = engine.start("llm", new N(2500));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.steps(holder).size() >= 1
                        && engine.history(holder, 0, 1000).stream()
                                .anyMatch(e -> e.type() == HistoryEventType.STEP_STARTED && e.stepSeq() == 1));
        String waiter = engine.start("llm", new N(1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.requireRun(waiter).status() == RunStatus.QUEUED
                        && engine.requireRun(waiter).startedAt() != null);
        assertThat(engine.requireRun(waiter).waiting().waitingOn()).isEqualTo("limit:llm-test");
        assertThat(engine.runs(new RunQuery(null, "llm", RunStatus.QUEUED, 10, null))
                        .runs())
                .extracting(RunRecord::id)
                .contains(waiter);
        RunRecord done = engine.awaitCompletion(waiter, Duration.ofSeconds(15));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.waiting().waitingOn()).isNull();
        List<StepRecord> steps = engine.steps(waiter);
        assertThat(steps).extracting(StepRecord::effectiveType).containsExactly("thought", "tool_call");
        assertThat(steps.get(0).usage()).isEqualTo(new dev.tern.sdk.Usage(100, 20, 0.001));
        assertThat(steps.get(1).usage().inputTokens()).isEqualTo(50);
        assertThat(engine.history(waiter, 0, 1000))
                .extracting(HistoryEvent::type)
                .contains(HistoryEventType.WAITING_ON_LIMIT, HistoryEventType.LIMIT_ACQUIRED);
    }
}
