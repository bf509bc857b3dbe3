package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TernEngine#awaitRun}, the long poll behind {@code GET …?waitSeconds=}: a run executing on this node is known
 * by its execution (asked for under another kind or name it does not exist), any other run by a read, on both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AwaitRunTest {
    record In(String text) {}

    record Out(String text) {}

    static final BiPredicate<RunKind, String> GATE = (kind, name) -> kind == RunKind.WORKFLOW && name.equals("gate");

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(Definitions.builder()
                .workflow(WorkflowDefinition.of("gate", In.class, Out.class, (ctx, in) -> {
                    String text = ctx.step("wait at the gate", String.class, () -> {
                        entered.countDown();
                        open.await();
                        return in.text() + " passed";
                    });
                    return new Out(text);
                }))
                .workflow(WorkflowDefinition.of("other", In.class, Out.class, (ctx, in) -> new Out(in.text())))
                .build());
    }

    @AfterEach
    void stop() {
        open.countDown();
        fixture.close();
    }

    @Test
    void aRunExecutingHereIsAwaitedOnlyUnderItsOwnKindAndName() throws Exception {
        String id = engine.start("gate", new In("ada"));
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        Duration wait = Duration.ofSeconds(30);

        assertThat(engine.awaitRun(id, (kind, name) -> kind == RunKind.WORKFLOW && name.equals("other"), wait))
                .as("asked for under another workflow's name")
                .isEmpty();
        assertThat(engine.awaitRun(id, (kind, name) -> kind == RunKind.AGENT && name.equals("gate"), wait))
                .as("asked for as an agent")
                .isEmpty();

        RunRecord stillRunning =
                engine.awaitRun(id, GATE, Duration.ofMillis(200)).orElseThrow();
        assertThat(stillRunning.status()).as("the wait passed first").isEqualTo(RunStatus.RUNNING);
        assertThat(stillRunning.name()).isEqualTo("gate");

        open.countDown();
        RunRecord ended = engine.awaitRun(id, GATE, wait).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(ended.output().get("text").asText()).isEqualTo("ada passed");
        assertThat(ended).as("the run awaited is the run as read").isEqualTo(engine.requireRun(id));
    }

    @Test
    void aRunNotExecutingHereIsReadAndNotAwaitedWhenItIsNotTheOneAskedFor() throws Exception {
        open.countDown();
        String id = engine.start("gate", new In("bo"));
        RunRecord ended = engine.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(ended.status()).isEqualTo(RunStatus.COMPLETED);

        assertThat(engine.awaitRun(id, GATE, Duration.ofSeconds(30))).contains(ended);
        assertThat(engine.awaitRun(id, GATE, Duration.ZERO)).contains(ended);
        assertThat(engine.awaitRun(id, (kind, name) -> name.equals("other"), Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(engine.awaitRun("run_doesnotexist", GATE, Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(engine.awaitRun("not a run id", GATE, Duration.ofSeconds(30)))
                .isEmpty();
    }

    @Test
    void aRunThatEndedBeforeItsCreatorAskedIsAnsweredAsTheStoreHoldsIt() throws Exception {
        // no step: the run ends while its creation commits, before start() returns; its end is kept for the asker
        for (int i = 0; i < 3; i++) {
            String id = engine.start("other", new In("run " + i));
            RunRecord ended = engine.awaitCompletion(id, Duration.ofSeconds(20));
            assertThat(ended.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(ended).as("the end kept is the run as read").isEqualTo(engine.requireRun(id));
            assertThat(engine.awaitRun(id, (kind, name) -> name.equals("other"), Duration.ofSeconds(20)))
                    .contains(ended);
            assertThat(engine.awaitRun(id, GATE, Duration.ofSeconds(20)))
                    .as("asked for under another name")
                    .isEmpty();
        }
    }

    @Test
    void aZeroWaitAnswersARunExecutingHereAsItStandsUnderItsName() throws Exception {
        String id = engine.start("gate", new In("cy"));
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.awaitRun(id, GATE, Duration.ZERO).orElseThrow().status())
                .isEqualTo(RunStatus.RUNNING);
        assertThat(engine.awaitRun(id, (kind, name) -> name.equals("other"), Duration.ZERO))
                .isEmpty();
    }
}
