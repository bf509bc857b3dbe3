package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.RunComparison.Field;
import dev.tern.engine.RunComparison.Row;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepUsage;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Comparing two runs: runs of a deterministic workflow with the same input, and a fork of a run from past its last
 * step, are the same in every row (durations aside); different inputs differ from the first step whose input or output
 * changed; a failed run beside its fork with a fixed input differs where the fork executed, with a row only the fork
 * has; runs of two definitions differ by name in every row; a missing run is not found.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class CompareTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    record In(String text, boolean fail) {}

    record Out(String text) {}

    static final FunctionDefinition<String, String> SHOUT =
            FunctionDefinition.of("shout", String.class, String.class, text -> text.toUpperCase());

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(Definitions.builder()
                .workflow(WorkflowDefinition.of("pipeline", In.class, Out.class, (ctx, in) -> {
                    String a = ctx.step("a", String.class, () -> {
                        StepUsage.report(10, 5, 0.01);
                        return "ready";
                    });
                    String b = ctx.call(SHOUT, in.text());
                    String c = ctx.step("c", StepOptions.defaults().withRetry(RetryPolicy.none()), String.class, () -> {
                        if (in.fail()) throw new IllegalStateException("bad input");
                        return a + "-" + b;
                    });
                    return new Out(ctx.step("d", String.class, () -> c + "!"));
                }))
                .workflow(WorkflowDefinition.of("pair", In.class, Out.class, (ctx, in) -> {
                    String p = ctx.step("p", String.class, () -> in.text());
                    return new Out(ctx.step("q", String.class, () -> p + p));
                }))
                .build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    static JsonNode input(String text, boolean fail) {
        return JsonNodeFactory.instance.objectNode().put("text", text).put("fail", fail);
    }

    RunRecord run(String workflow, String text, boolean fail) throws InterruptedException {
        RunRecord run = engine.schedule(RunnableDefinition.Kind.WORKFLOW, workflow, input(text, fail));
        return finished(run.id());
    }

    RunRecord finished(String runId) throws InterruptedException {
        RunRecord run = engine.awaitCompletion(runId, WAIT);
        assertThat(run.status().isTerminal()).as("run %s finished", runId).isTrue();
        return run;
    }

    static List<List<Field>> diffs(RunComparison c) {
        return c.rows().stream().map(Row::diff).toList();
    }

    @Test
    void twoRunsWithTheSameInputAreTheSameInEveryRow() throws Exception {
        RunRecord first = run("pipeline", "x", false);
        RunRecord second = run("pipeline", "x", false);

        RunComparison c = engine.compare(first.id(), second.id());
        assertThat(c.same()).isTrue();
        assertThat(c.firstDifference()).isNull();
        assertThat(c.forkedFromA()).isFalse();
        assertThat(c.rows()).extracting(Row::position).containsExactly(0, 1, 2, 3);
        assertThat(c.rows()).allSatisfy(row -> {
            assertThat(row.same()).as("row %s", row).isTrue();
            assertThat(row.a().name()).isEqualTo(row.b().name());
        });
        assertThat(c.rows()).extracting(r -> r.a().name()).containsExactly("a", "shout", "c", "d");
        Row shout = c.rows().get(1);
        assertThat(shout.a().input().asText()).isEqualTo("x");
        assertThat(shout.a().output().asText()).isEqualTo("X");
        assertThat(shout.a().status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(shout.a().durationMs()).isNotNull().isNotNegative();
        assertThat(c.rows().get(0).a().inputTokens()).isEqualTo(10);
        assertThat(c.rows().get(0).b().outputTokens()).isEqualTo(5);

        assertThat(c.a().runId()).isEqualTo(first.id());
        assertThat(c.b().runId()).isEqualTo(second.id());
        assertThat(c.a().name()).isEqualTo("pipeline");
        assertThat(c.b().status()).isEqualTo(RunStatus.COMPLETED);
        for (RunComparison.ComparedRun side : List.of(c.a(), c.b())) {
            assertThat(side.forkedFrom()).isNull();
            assertThat(side.totals().steps()).isEqualTo(4);
            assertThat(side.totals().inputTokens()).isEqualTo(10);
            assertThat(side.totals().outputTokens()).isEqualTo(5);
            assertThat(side.totals().costUsd()).isEqualTo(0.01);
            assertThat(side.totals().durationMs()).isNotNegative();
        }
        RunRecord done = engine.requireRun(first.id());
        assertThat(c.a().totals().durationMs())
                .isEqualTo(
                        Duration.between(done.createdAt(), done.completedAt()).toMillis());

        assertThat(engine.compare(first.id(), first.id()).same()).isTrue();
    }

    @Test
    void aForkFromPastItsOriginalsLastStepIsTheSameAndKnownAsItsFork() throws Exception {
        RunRecord original = run("pipeline", "x", false);
        RunRecord fork = engine.fork(original.id(), 4, null, RunOptions.none());
        finished(fork.id());

        RunComparison c = engine.compare(original.id(), fork.id());
        assertThat(c.same()).isTrue();
        assertThat(c.forkedFromA()).isTrue();
        assertThat(c.b().forkedFrom()).isEqualTo(new ForkedFrom(original.id(), 4));
        assertThat(c.rows()).hasSize(4).allSatisfy(row -> assertThat(row.diff()).isEmpty());
        assertThat(c.b().totals().inputTokens()).isEqualTo(c.a().totals().inputTokens());

        RunComparison reversed = engine.compare(fork.id(), original.id());
        assertThat(reversed.forkedFromA())
                .as("the original is not a fork of its fork")
                .isFalse();
        assertThat(reversed.a().forkedFrom()).isEqualTo(new ForkedFrom(original.id(), 4));
        assertThat(reversed.same()).isTrue();
    }

    @Test
    void differentInputsDifferFromTheFirstStepWhoseInputOrOutputChanged() throws Exception {
        RunRecord x = run("pipeline", "x", false);
        RunRecord y = run("pipeline", "y", false);

        RunComparison c = engine.compare(x.id(), y.id());
        assertThat(c.same()).isFalse();
        assertThat(c.firstDifference()).isEqualTo(1);
        assertThat(diffs(c))
                .containsExactly(
                        List.of(), List.of(Field.INPUT, Field.OUTPUT), List.of(Field.OUTPUT), List.of(Field.OUTPUT));
        assertThat(c.rows().get(1).b().input().asText()).isEqualTo("y");
        assertThat(c.rows().get(0).same()).isTrue();
        assertThat(c.forkedFromA()).isFalse();
    }

    @Test
    void aFailedRunAndItsForkWithAFixedInputDifferWhereTheForkExecuted() throws Exception {
        RunRecord failed = run("pipeline", "x", true);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        RunRecord fork = engine.fork(failed.id(), 2, input("x", false), RunOptions.none());
        assertThat(finished(fork.id()).status()).isEqualTo(RunStatus.COMPLETED);

        RunComparison c = engine.compare(failed.id(), fork.id());
        assertThat(c.forkedFromA()).isTrue();
        assertThat(c.firstDifference()).isEqualTo(2);
        assertThat(c.rows()).hasSize(4);
        assertThat(c.rows().get(0).same()).isTrue();
        assertThat(c.rows().get(1).same()).as("copied from the original").isTrue();
        Row c2 = c.rows().get(2);
        assertThat(c2.diff()).containsExactly(Field.STATUS, Field.OUTPUT, Field.ERROR);
        assertThat(c2.a().status()).isEqualTo(StepStatus.FAILED);
        assertThat(c2.a().error().message()).contains("bad input");
        assertThat(c2.b().status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(c2.b().error()).isNull();
        Row only = c.rows().get(3);
        assertThat(only.a()).as("the failed run never got to d").isNull();
        assertThat(only.b().name()).isEqualTo("d");
        assertThat(only.diff()).containsExactly(Field.NAME, Field.TYPE, Field.STATUS, Field.OUTPUT);
        assertThat(c.a().status()).isEqualTo(RunStatus.FAILED);
        assertThat(c.b().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(c.a().totals().steps()).isEqualTo(3);
        assertThat(c.b().totals().steps()).isEqualTo(4);
        assertThat(c.b().totals().inputTokens())
                .as("step a's usage came with it")
                .isEqualTo(10);
    }

    @Test
    void runsOfTwoDefinitionsDifferByNameInEveryRow() throws Exception {
        RunRecord pipeline = run("pipeline", "x", false);
        RunRecord pair = run("pair", "x", false);

        RunComparison c = engine.compare(pipeline.id(), pair.id());
        assertThat(c.firstDifference()).isZero();
        assertThat(c.rows()).hasSize(4).allSatisfy(row -> assertThat(row.diff()).contains(Field.NAME));
        assertThat(c.rows().get(2).b()).isNull();
        assertThat(c.a().name()).isEqualTo("pipeline");
        assertThat(c.b().name()).isEqualTo("pair");
        assertThat(c.b().totals().steps()).isEqualTo(2);
        assertThat(c.b().totals().inputTokens()).isZero();
    }

    @Test
    void aMissingRunIsNotFound() throws Exception {
        RunRecord run = run("pair", "x", false);
        assertThatThrownBy(() -> engine.compare(run.id(), "run_nope"))
                .isInstanceOf(RunNotFoundException.class)
                .hasMessageContaining("run_nope");
        assertThatThrownBy(() -> engine.compare("run_nope", run.id()))
                .isInstanceOf(RunNotFoundException.class)
                .hasMessageContaining("run_nope");
        assertThatThrownBy(() -> engine.compare(run.id(), "not a run id")).isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void inputsAndOutputsCompareAsJsonValuesNotText() {
        var json = dev.tern.engine.internal.json.Json.MAPPER;
        assertThat(RunComparer.sameJson(
                        tree(json, "{\"a\": 1, \"b\": [1, 2]}"), tree(json, "{\"b\": [1, 2.0], \"a\": 1}")))
                .isTrue();
        assertThat(RunComparer.sameJson(tree(json, "{\"a\": 1}"), tree(json, "{\"a\": \"1\"}")))
                .isFalse();
        assertThat(RunComparer.sameJson(tree(json, "[1, 2]"), tree(json, "[2, 1]")))
                .isFalse();
        assertThat(RunComparer.sameJson(null, tree(json, "null"))).isTrue();
        assertThat(RunComparer.sameJson(null, tree(json, "{}"))).isFalse();
    }

    static JsonNode tree(com.fasterxml.jackson.databind.ObjectMapper mapper, String text) {
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
