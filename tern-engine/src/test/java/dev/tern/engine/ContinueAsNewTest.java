package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Long-lived agents continue as new: state carried over, same agent id, linked runs, events to old ids follow. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ContinueAsNewTest {
    record Input(String label) {}

    record Add(int n) {}

    record End(@Nullable Boolean end) {}

    record Out(String label, int total, int count) {}

    /** Private fields on purpose: the carried state is written field by field, whatever their visibility. */
    static final class Tally {
        private int total;
        private final List<Integer> seen = new ArrayList<>();
        private boolean ended;
    }

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    final Map<Integer, AtomicInteger> executions = new ConcurrentHashMap<>();

    Definitions definitions() {
        return Definitions.builder()
                .agent(AgentDefinition.<Input, Tally, Out>builder("tally", Input.class, Out.class, input -> new Tally())
                        .on("add", Add.class, (ctx, state, add) -> {
                            int n = ctx.step("add", Integer.class, () -> {
                                executions
                                        .computeIfAbsent(add.n(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                return add.n();
                            });
                            state.total += n;
                            state.seen.add(n);
                            return state.total;
                        })
                        .on("end", End.class, (ctx, state, end) -> {
                            state.ended = true;
                            return end;
                        })
                        .run((ctx, state, input) -> {
                            ctx.waitUntil(() -> state.ended);
                            return new Out(input.label(), state.total, state.seen.size());
                        }))
                .build();
    }

    TernEngine start() {
        return fixture.start(definitions(), fixture.config().withContinueAsNewAfterSteps(10));
    }

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    @Test
    void anAgentPastItsHistoryLimitContinuesAsNewKeepingStateAndEvents() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = start();
        String first = engine.start("tally", new Input("t1"));
        for (int n = 1; n <= 12; n++) engine.send(first, "add", new Add(n));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> executions.size() == 12 && latest(engine, first).suspended());

        fixture.crash();
        TernEngine restarted = start();
        String landedOn = null;
        for (int n = 13; n <= 25; n++)
            landedOn = restarted
                    .deliver(first, "add", dev.tern.engine.internal.json.Json.tree(new Add(n)))
                    .runId();
        assertThat(landedOn)
                .as("events sent to the first run's id go to the agent's latest run")
                .isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> executions.size() == 25);
        restarted.send(first, "end", new End(true));

        List<RunRecord> chain = new ArrayList<>();
        RunRecord run = restarted.awaitCompletion(first, Duration.ofSeconds(20));
        chain.add(run);
        while (run.output() != null && run.output().has("continuedAs")) {
            run = restarted.awaitCompletion(run.output().get("continuedAs").asText(), Duration.ofSeconds(20));
            chain.add(run);
        }
        RunRecord last = chain.get(chain.size() - 1);
        assertThat(last.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(last.output().get("total").asInt()).isEqualTo(25 * 26 / 2);
        assertThat(last.output().get("count").asInt()).isEqualTo(25);
        assertThat(last.output().get("label").asText()).isEqualTo("t1");
        assertThat(chain)
                .as("25 events of two steps each with a limit of 10 steps")
                .hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < chain.size(); i++) {
            RunRecord r = chain.get(i);
            assertThat(r.links().continuedFrom()).isEqualTo(chain.get(i - 1).id());
            assertThat(r.links().agentId()).isEqualTo(first);
            assertThat(chain.get(i - 1).status()).isEqualTo(RunStatus.COMPLETED);
            List<StepRecord> steps = restarted.steps(r.id());
            assertThat(steps.get(0).kind()).isEqualTo(StepKind.STATE);
            assertThat(steps.size()).as("replay of %s stays short", r.id()).isLessThanOrEqualTo(10 + 2);
            assertThat(restarted.history(chain.get(i - 1).id(), 0, 1000))
                    .extracting(HistoryEvent::type)
                    .contains(HistoryEventType.CONTINUED_AS_NEW);
        }
        executions.forEach((n, count) ->
                assertThat(count.get()).as("step for %d ran once", n).isEqualTo(1));
    }

    @Test
    void withoutALimitTheAgentStaysInOneRun() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(definitions(), fixture.config().withContinueAsNewAfterSteps(0));
        String id = engine.start("tally", new Input("t2"));
        for (int n = 1; n <= 8; n++) engine.send(id, "add", new Add(n));
        engine.send(id, "end", new End(true));
        RunRecord done = engine.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(done.output().get("total").asInt()).isEqualTo(36);
        assertThat(done.output().has("continuedAs")).isFalse();
    }

    private static RunRecord latest(TernEngine engine, String id) {
        RunRecord run = engine.requireRun(id);
        while (run.output() != null && run.output().has("continuedAs"))
            run = engine.requireRun(run.output().get("continuedAs").asText());
        return run;
    }
}
