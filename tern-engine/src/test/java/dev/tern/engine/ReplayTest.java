package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(StoreKind.class)
class ReplayTest {
    record In(String text) {}

    record Out(String result, double random, String uuid, long now) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final AtomicInteger firstRuns = new AtomicInteger();
    final AtomicInteger secondRuns = new AtomicInteger();
    volatile CountDownLatch blockSecond = new CountDownLatch(1);
    final CountDownLatch secondEntered = new CountDownLatch(1);

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("replayed", In.class, Out.class, (ctx, in) -> {
                    double random = ctx.random();
                    String uuid = ctx.uuid().toString();
                    long now = ctx.now().toEpochMilli();
                    String a = ctx.step("first", String.class, () -> {
                        firstRuns.incrementAndGet();
                        return in.text().toUpperCase();
                    });
                    String b = ctx.step("second", String.class, () -> {
                        secondRuns.incrementAndGet();
                        secondEntered.countDown();
                        blockSecond.await();
                        return a + "!";
                    });
                    return new Out(b, random, uuid, now);
                }))
                .build();
    }

    @Test
    void completedStepsAreNotExecutedAgainAfterACrash() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("replayed", new In("hi"));
            assertThat(secondEntered.await(10, TimeUnit.SECONDS)).isTrue();
            var recordedBefore = engine.steps(id);
            fixture.crash();

            blockSecond = new CountDownLatch(0);
            engine = fixture.start(definitions());
            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(firstRuns).hasValue(1);
            assertThat(secondRuns).hasValue(2);
            assertThat(run.output().get("result").asText()).isEqualTo("HI!");
            assertThat(run.attempt()).isEqualTo(2);
            // values recorded before the crash are replayed, not drawn again
            double randomBefore = recordedBefore.stream()
                    .filter(s -> s.kind() == StepKind.RANDOM)
                    .findFirst()
                    .orElseThrow()
                    .output()
                    .asDouble();
            assertThat(run.output().get("random").asDouble()).isEqualTo(randomBefore);
            assertThat(engine.attempts(id))
                    .extracting(AttemptRecord::outcome)
                    .containsExactly("abandoned", "completed");
        }
    }

    @Test
    void changedCodeAtARecordedPositionFailsWithBothStepNames() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("replayed", new In("hi"));
            assertThat(secondEntered.await(10, TimeUnit.SECONDS)).isTrue();
            fixture.crash();

            Definitions changed = Definitions.builder()
                    .workflow(WorkflowDefinition.of("replayed", In.class, Out.class, (ctx, in) -> {
                        ctx.random();
                        ctx.uuid();
                        ctx.now();
                        ctx.step("renamed", String.class, () -> "x");
                        return new Out("x", 0, "", 0);
                    }))
                    .build();
            engine = fixture.start(changed);
            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error().type()).isEqualTo("NonDeterminism");
            assertThat(run.error().message())
                    .contains("'function first'")
                    .contains("'function renamed'")
                    .contains("step 3");
        }
    }
}
