package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowBody;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Patching in place: {@code ctx.patched(id)} is false when replaying a history recorded before the patch and true in a
 * new execution (whose marker is recorded, so it stays true on replay); {@code deprecatePatch} replays both.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class PatchTest {
    record In(String text) {}

    record Out(String text) {}

    static final Duration WAIT = Duration.ofSeconds(10);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;

    static Definitions code(WorkflowBody<In, Out> body) {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("refund", In.class, Out.class, body))
                .build();
    }

    static final Definitions BEFORE = code((ctx, in) -> {
        ctx.step("compute", String.class, () -> "1.005");
        ctx.awaitEvent("go", In.class);
        return new Out("old");
    });

    static final Definitions PATCHED = code((ctx, in) -> {
        ctx.step("compute", String.class, () -> "1.005");
        String path = "old";
        if (ctx.patched("fix-refund-rounding")) path = ctx.step("round", String.class, () -> "new");
        ctx.awaitEvent("go", In.class);
        return new Out(path);
    });

    static final Definitions DEPRECATED = code((ctx, in) -> {
        ctx.step("compute", String.class, () -> "1.005");
        ctx.deprecatePatch("fix-refund-rounding");
        String path = ctx.step("round", String.class, () -> "new");
        ctx.awaitEvent("go", In.class);
        return new Out(path + "+deprecated");
    });

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    TernEngine restart(Definitions code) {
        fixture.crash();
        return fixture.start(code);
    }

    String startAndWait(TernEngine engine) {
        String id = engine.start("refund", new In("x"));
        await().atMost(WAIT).until(() -> engine.requireRun(id).suspended());
        return id;
    }

    @Test
    void patchedIsFalseOnAnOldHistoryAndTrueOnANewOneAcrossRestarts() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(BEFORE);
        String old = startAndWait(engine);

        engine = restart(PATCHED);
        String patched = startAndWait(engine);
        assertThat(engine.history(patched, 0, 100))
                .extracting(HistoryEvent::type)
                .contains(HistoryEventType.PATCH_MARKER);
        assertThat(engine.steps(patched))
                .extracting(StepRecord::kind)
                .containsSubsequence(StepKind.FUNCTION, StepKind.PATCH, StepKind.FUNCTION);

        engine = restart(PATCHED); // both histories replay again from the store
        engine.send(old, "go", new In("!"));
        engine.send(patched, "go", new In("!"));
        assertThat(engine.awaitCompletion(old, WAIT).output().get("text").asText())
                .isEqualTo("old");
        assertThat(engine.awaitCompletion(patched, WAIT).output().get("text").asText())
                .isEqualTo("new");
    }

    @Test
    void deprecatePatchReplaysHistoriesWithAndWithoutTheMarker() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(PATCHED);
        String marked = startAndWait(engine);

        engine = restart(DEPRECATED);
        String unmarked = startAndWait(engine);
        assertThat(engine.steps(unmarked)).extracting(StepRecord::kind).doesNotContain(StepKind.PATCH);
        engine.send(marked, "go", new In("!"));
        engine.send(unmarked, "go", new In("!"));
        RunRecord a = engine.awaitCompletion(marked, WAIT);
        RunRecord b = engine.awaitCompletion(unmarked, WAIT);
        assertThat(a.status()).as(String.valueOf(a.error())).isEqualTo(RunStatus.COMPLETED);
        assertThat(a.output().get("text").asText()).isEqualTo("new+deprecated");
        assertThat(b.output().get("text").asText()).isEqualTo("new+deprecated");
    }
}
