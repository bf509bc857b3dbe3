package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A step that follows another writes its start with the previous step's checkpoint, so its start is durable before its
 * body runs (and a run of long steps, such as model calls, commits once per step, not twice: see the bench).
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class StepStartTest {
    record In(int steps, int millis) {}

    record Out(int steps) {}

    static final int STEPS = 4;

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    /** For each step: was its own "started" event in the stored history when its body began? */
    final Map<Integer, Boolean> startVisible = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aFollowingStepsStartIsDurableBeforeItsBodyAndSharesTheCommit() throws InterruptedException {
        fixture = new EngineFixture(store, dir);
        TernEngine[] engine = new TernEngine[1];
        WorkflowDefinition<In, Out> slow = WorkflowDefinition.of("slow", In.class, Out.class, (ctx, in) -> {
            for (int i = 0; i < in.steps(); i++) {
                int seq = i; // steps are numbered from 0
                ctx.step("s" + i, Integer.class, () -> {
                    startVisible.put(seq, started(engine[0], ctx.runId(), seq));
                    Thread.sleep(in.millis()); // longer than the writer's linger for lazy writes
                    return seq;
                });
            }
            return new Out(in.steps());
        });
        engine[0] = fixture.start(Definitions.builder().workflow(slow).build());

        String runId = engine[0].start("slow", new In(STEPS, 30));
        RunRecord run = engine[0].awaitCompletion(runId, Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);

        for (int seq = 1; seq < STEPS; seq++) {
            assertThat(startVisible.get(seq))
                    .as("step %d's start stored before its body ran", seq)
                    .isTrue();
        }
        List<HistoryEvent> history = engine[0].history(runId, 0, 100);
        List<Integer> startedSteps = history.stream()
                .filter(e -> e.type() == HistoryEventType.STEP_STARTED)
                .map(HistoryEvent::stepSeq)
                .toList();
        assertThat(startedSteps).containsExactly(0, 1, 2, 3);
        for (int seq = 0; seq < STEPS; seq++) {
            int s = seq;
            int startedAt = indexOf(history, HistoryEventType.STEP_STARTED, s);
            int completedAt = indexOf(history, HistoryEventType.STEP_COMPLETED, s);
            assertThat(startedAt).as("step %d started before it completed", s).isLessThan(completedAt);
            if (seq > 0)
                assertThat(indexOf(history, HistoryEventType.STEP_COMPLETED, s - 1))
                        .isLessThan(startedAt);
        }
    }

    private static boolean started(TernEngine engine, String runId, int seq) {
        return engine.history(runId, 0, 1000).stream()
                .anyMatch(e -> e.type() == HistoryEventType.STEP_STARTED
                        && Integer.valueOf(seq).equals(e.stepSeq()));
    }

    private static int indexOf(List<HistoryEvent> history, HistoryEventType type, int seq) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).type() == type
                    && Integer.valueOf(seq).equals(history.get(i).stepSeq())) return i;
        }
        throw new AssertionError("no " + type + " for step " + seq);
    }
}
