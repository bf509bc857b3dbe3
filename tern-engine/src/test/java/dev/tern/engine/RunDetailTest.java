package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run's detail ({@link TernEngine#detail}), read at once (one round trip on PostgreSQL), holds what the separate
 * reads of the run, its steps, attempts with their resumptions, and questions hold, and only the parts asked for.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RunDetailTest {
    record In(String text) {}

    record Approval(boolean approved) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("reviewed", In.class, In.class, (ctx, in) -> {
                    String drafted = ctx.step("draft", String.class, () -> "draft of " + in.text());
                    In go = ctx.awaitEvent("go", In.class);
                    Approval ok = ctx.askHuman(HumanQuestion.of("publish " + drafted + "?"), Approval.class)
                            .orElseThrow();
                    return new In(ctx.step("publish", String.class, () -> go.text() + ":" + ok.approved()));
                }))
                .build();
    }

    @Test
    void theDetailHoldsWhatEachPartsOwnReadHolds() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(definitions());
            String id = engine.start("reviewed", new In("notes"));
            // suspended while it waits for the event, then resumed by it: the attempt has a resumption
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> engine.requireRun(id).suspended());
            engine.send(id, "go", new In("now"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !engine.interactions(id).isEmpty()
                            && engine.requireRun(id).suspended());

            RunDetail waiting = engine.detail(id, RunDetail.Part.all()).orElseThrow();
            assertThat(waiting.run()).isEqualTo(engine.requireRun(id));
            assertThat(waiting.steps()).isEqualTo(engine.steps(id)).hasSizeGreaterThanOrEqualTo(3);
            assertThat(waiting.attempts()).isEqualTo(engine.attempts(id));
            assertThat(waiting.attempts().getFirst().resumes()).isNotEmpty();
            assertThat(waiting.interactions())
                    .isEqualTo(engine.interactions(id))
                    .singleElement()
                    .satisfies(q -> assertThat(q.isOpen()).isTrue());

            engine.answer(id, waiting.interactions().getFirst().id(), Json.tree(new Approval(true)));
            RunRecord done = engine.awaitCompletion(id, Duration.ofSeconds(20));
            assertThat(done.output().get("text").asText()).isEqualTo("now:true");
            RunDetail finished = engine.detail(id, RunDetail.Part.all()).orElseThrow();
            assertThat(finished.run()).isEqualTo(done);
            assertThat(finished.steps())
                    .isEqualTo(engine.steps(id))
                    .last()
                    .satisfies(s -> assertThat(s.name()).isEqualTo("publish"));
            assertThat(finished.attempts()).isEqualTo(engine.attempts(id));
            assertThat(finished.interactions()).isEqualTo(engine.interactions(id));
            assertThat(finished.interactions().getFirst().isOpen()).isFalse();

            // past the driver's threshold for server-side prepared statements and PostgreSQL's for generic plans
            for (int i = 0; i < 12; i++)
                assertThat(engine.detail(id, RunDetail.Part.all())).contains(finished);

            RunDetail stepsOnly =
                    engine.detail(id, EnumSet.of(RunDetail.Part.STEPS)).orElseThrow();
            assertThat(stepsOnly.steps()).isEqualTo(finished.steps());
            assertThat(stepsOnly.attempts()).isEmpty();
            assertThat(stepsOnly.interactions()).isEmpty();
            RunDetail runOnly =
                    engine.detail(id, EnumSet.noneOf(RunDetail.Part.class)).orElseThrow();
            assertThat(runOnly.run()).isEqualTo(done);
            assertThat(runOnly.steps()).isEmpty();

            assertThat(engine.detail("run_doesnotexist0000000000", RunDetail.Part.all()))
                    .isEmpty();
            assertThat(engine.detail("x'; DROP TABLE runs; --", RunDetail.Part.all()))
                    .isEmpty();
            assertThat(engine.requireRun(id).status()).isEqualTo(RunStatus.COMPLETED);
        }
    }
}
