package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run that waits in its thread (within its suspend grace) wakes as soon as what it waits for is stored, however close
 * that comes to the run's own look at the store. The grace here is a minute, so a lost wake-up shows as a wait of a
 * minute; each must take seconds at most. An event stored exactly between the run's read of its inbox and its park (a
 * clock that sends it when the look asks the time); a client sending each message the moment it sees the step answering
 * the last, while the agent is still finishing that turn; a parent awaiting children that end at once; a child
 * cancelled because its parent ended. On both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class WaitWakeTest {
    record Say(String text) {}

    record Start() {}

    record Done(int turns) {}

    static final class State {
        int turns;
        boolean ended;
    }

    static final AgentDefinition<Start, State, Done> AGENT = AgentDefinition.<Start, State, Done>builder(
                    "turns", Start.class, Done.class, input -> new State())
            .on("say", Say.class, (ctx, state, say) -> {
                state.turns++;
                return ctx.step("answer", String.class, () -> "re " + say.text());
            })
            .on("end", Say.class, (ctx, state, say) -> {
                state.ended = true;
                return null;
            })
            .run((ctx, state, input) -> {
                ctx.waitUntil(() -> state.ended);
                return new Done(state.turns);
            });

    static final int TURNS = 25;

    /** Far below the grace: a lost wake-up waits the whole grace out. */
    static final Duration TURN_LIMIT = Duration.ofSeconds(10);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(
                Definitions.builder().agent(AGENT).build(), fixture.config().withSuspendGrace(Duration.ofMinutes(1)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anAgentWaitingInItsThreadWakesForEveryEventSentTheMomentItsLastStepShows() throws Exception {
        String id = engine.scheduleRun(
                        RunnableDefinition.Kind.AGENT, "turns", TernJson.tree(Map.of()), RunOptions.none())
                .run()
                .id();
        talk(id);
        engine.sendEvent(id, "end", TernJson.tree(new Say("")));
        RunRecord done = engine.awaitCompletion(id, TURN_LIMIT);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("turns").asInt()).isEqualTo(TURNS);
        assertThat(engine.requireRun(id).suspended()).isFalse();
    }

    @Test
    void anEventStoredWhileTheRunLooksAtItsInboxWakesIt() throws Exception {
        // the look reads the inbox (empty), then the time: the event is stored and signalled between the two
        SendingClock clock = new SendingClock();
        CountDownLatch gateOpen = new CountDownLatch(1);
        WorkflowDefinition<Say, Say> gatedFlow = WorkflowDefinition.of("gated", Say.class, Say.class, (ctx, in) -> {
            // waits until the test has armed its clock, then awaits one event
            ctx.step("gate", Boolean.class, () -> gateOpen.await(10, TimeUnit.SECONDS));
            return ctx.awaitEvent("say", Say.class);
        });
        TernEngine gated = fixture.start(
                Definitions.builder().workflow(gatedFlow).build(),
                fixture.config().withSuspendGrace(Duration.ofMinutes(1)).withClock(clock));
        String id = gated.start("gated", new Say(""));
        clock.armed = () -> gated.sendEvent(id, "say", TernJson.tree(new Say("between")));
        gateOpen.countDown();
        RunRecord done = gated.awaitCompletion(id, TURN_LIMIT);
        assertThat(clock.fired).isTrue();
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo("between");
    }

    @Test
    void aParentWaitingInItsThreadWakesWhenEachChildEnds() throws Exception {
        WorkflowDefinition<Say, Say> child = WorkflowDefinition.of(
                "child",
                Say.class,
                Say.class,
                (ctx, in) -> new Say(ctx.step("add", String.class, () -> in.text() + "+")));
        WorkflowDefinition<Say, Say> parent = WorkflowDefinition.of("parent", Say.class, Say.class, (ctx, in) -> {
            Say said = in;
            for (int i = 0; i < 3; i++) said = ctx.runChild("child", said, Say.class);
            return said;
        });
        TernEngine family = fixture.start(
                Definitions.builder().workflow(child).workflow(parent).build(),
                fixture.config().withSuspendGrace(Duration.ofMinutes(1)));
        String id = family.start("parent", new Say("x"));
        RunRecord done = family.awaitCompletion(id, TURN_LIMIT);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo("x+++");
        assertThat(family.requireRun(id).suspended()).isFalse(); // it waited in its thread, and was woken there
    }

    @RepeatedTest(3)
    void parentsAwaitingChildrenStartedTogetherWakeWhenEachChildEnds() throws Exception {
        WorkflowDefinition<Say, Say> child = WorkflowDefinition.of(
                "child",
                Say.class,
                Say.class,
                (ctx, in) -> new Say(ctx.step("add", String.class, () -> in.text() + "+")));
        WorkflowDefinition<Say, Say> parent = WorkflowDefinition.of("fan-out", Say.class, Say.class, (ctx, in) -> {
            List<ChildRun> children = new ArrayList<>();
            for (int i = 0; i < 8; i++) children.add(ctx.startChild("child", new Say(in.text() + i)));
            return new Say(
                    ctx.awaitAll(children, Say.class).stream().map(Say::text).collect(Collectors.joining(",")));
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TernEngine family = fixture.start(
                Definitions.builder().workflow(child).workflow(parent).build(),
                fixture.config()
                        .withSuspendGrace(Duration.ofMinutes(1))
                        .withObservability(Observability.of(meters, OpenTelemetry.noop())));
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < 8; p++) ids.add(family.start("fan-out", new Say("p" + p + "-")));
        for (int p = 0; p < 8; p++) {
            RunRecord done = family.awaitCompletion(ids.get(p), TURN_LIMIT);
            assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(done.output().path("text").asText())
                    .startsWith("p" + p + "-0+,")
                    .endsWith("p" + p + "-7+");
            assertThat(family.requireRun(ids.get(p)).suspended()).isFalse();
        }
        // a child's end wakes its parent in the parent's writer lane: on PostgreSQL, two lanes each waking a parent
        // whose checkpoint the other lane's transaction held deadlocked, and every deadlock cost a second
        assertThat(meters.get("tern.store.deadlocks").counter().count()).isZero();
    }

    @Test
    void aChildWaitingInItsThreadStopsWhenItsParentEnds() throws Exception {
        WorkflowDefinition<Say, Say> child = WorkflowDefinition.of(
                "waiting-child", Say.class, Say.class, (ctx, in) -> ctx.awaitEvent("never", Say.class));
        WorkflowDefinition<Say, Say> parent =
                WorkflowDefinition.of("leaving-parent", Say.class, Say.class, (ctx, in) -> {
                    String childId = ctx.startChild("waiting-child", in).runId();
                    ctx.step("let the child wait", Boolean.class, () -> {
                        Thread.sleep(300);
                        return true;
                    });
                    return new Say(childId);
                });
        // a lease far longer than the test: the lease keeper's renewals would pass the cancel on only after 20 s
        TernEngine family = fixture.start(
                Definitions.builder().workflow(child).workflow(parent).build(),
                fixture.config().withSuspendGrace(Duration.ofMinutes(1)).withLeaseDuration(Duration.ofMinutes(1)));
        String id = family.start("leaving-parent", new Say("x"));
        RunRecord parentDone = family.awaitCompletion(id, TURN_LIMIT);
        assertThat(parentDone.status()).isEqualTo(RunStatus.COMPLETED);
        String childId = parentDone.output().path("text").asText();
        RunRecord childDone = family.awaitCompletion(childId, TURN_LIMIT);
        assertThat(childDone.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(family.activeRuns()).isZero();
    }

    /**
     * The system clock, which, once armed, runs its action the first time a run asks the time while it looks at its
     * inbox for an event: after the look read the inbox, before the run parks.
     */
    static final class SendingClock extends Clock {
        volatile Runnable armed;
        volatile boolean fired;

        @Override
        public Instant instant() {
            Runnable action = armed;
            if (action != null && inEventCheck()) {
                armed = null;
                action.run();
                fired = true;
            }
            return Instant.now();
        }

        private static boolean inEventCheck() {
            return StackWalker.getInstance()
                    .walk(frames -> frames.limit(4)
                            .anyMatch(f -> f.getClassName().endsWith(".EventWait")
                                    && f.getMethodName().equals("check")));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Sends {@link #TURNS} events, each as soon as the step answering the one before is stored. */
    private void talk(String id) {
        for (int turn = 0; turn < TURNS; turn++) {
            int before = answers(id);
            engine.sendEvent(id, "say", TernJson.tree(new Say("turn " + turn)));
            await().atMost(TURN_LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> answers(id) > before);
        }
    }

    private int answers(String id) {
        List<StepRecord> steps = engine.steps(id);
        return (int) steps.stream().filter(s -> s.name().equals("answer")).count();
    }
}
