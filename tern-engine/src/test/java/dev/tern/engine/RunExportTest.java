package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TernEngine#export}: the document holds the definition, the run, every step field, the history, the inbox
 * (consumed or not) and the links (thread, parent, fork); it reads back to the same steps, history and inbox; a run
 * that failed carries its error; a missing run is a {@link RunNotFoundException}. The export replays against the
 * unchanged code and parts from a changed one at the changed step.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RunExportTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    record In(String text) {}

    record Out(String text) {}

    record Go(int n) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final AtomicInteger bodies = new AtomicInteger();
    EngineFixture fixture;
    TernEngine engine;

    WorkflowDefinition<In, Out> parent(String childName) {
        return WorkflowDefinition.of("parent", In.class, Out.class, (ctx, in) -> {
            String prepared = ctx.step("prepare", String.class, () -> {
                bodies.incrementAndGet();
                return in.text() + "!";
            });
            ChildRun child = ctx.startChild(childName, new In(prepared));
            Out kid = ctx.awaitChild(child, Out.class);
            Go go = ctx.awaitEvent("go", Go.class);
            return new Out(kid.text() + " " + go.n());
        });
    }

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(Definitions.builder()
                .workflow(parent("kid"))
                .workflow(WorkflowDefinition.of("kid", In.class, Out.class, (ctx, in) -> new Out(in.text())))
                .workflow(WorkflowDefinition.of(
                        "broken",
                        In.class,
                        Out.class,
                        (ctx, in) -> new Out(ctx.step(
                                "explode",
                                StepOptions.defaults()
                                        .withRetry(RetryPolicy.defaults().withMaxAttempts(1)),
                                String.class,
                                () -> {
                                    throw new IllegalStateException("boom");
                                }))))
                .build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theExportHoldsTheRunItsStepsHistoryInboxAndLinks() throws Exception {
        String id = engine.schedule(
                        dev.tern.sdk.RunnableDefinition.Kind.WORKFLOW,
                        "parent",
                        TernJson.tree(new In("hi")),
                        RunOptions.none().withThreadId("t-1"))
                .id();
        await().atMost(WAIT).until(() -> engine.steps(id).size() >= 3);
        engine.send(id, "unwanted", new Go(0));
        engine.send(id, "go", new Go(7));
        RunRecord run = engine.awaitCompletion(id, WAIT);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);

        ObjectNode doc = engine.export(id).toJson();
        assertThat(doc.get("format").asText()).isEqualTo("tern-run-export");
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(engine.export(id).toJson())
                .as("a finished run exports the same every time")
                .isEqualTo(doc);
        assertThat(doc.get("definition").get("kind").asText()).isEqualTo("workflow");
        assertThat(doc.get("definition").get("name").asText()).isEqualTo("parent");
        assertThat(doc.get("definition").get("version").asText())
                .as("the revision the run is pinned to")
                .isEqualTo(engine.requireRun(id).release().revision())
                .hasSize(12);
        JsonNode r = doc.get("run");
        assertThat(r.get("runId").asText()).isEqualTo(id);
        assertThat(r.get("status").asText()).isEqualTo("completed");
        assertThat(r.get("input").toString()).isEqualTo("{\"text\":\"hi\"}");
        assertThat(r.get("output").toString()).isEqualTo("{\"text\":\"hi! 7\"}");
        assertThat(r.get("attempt").asInt()).isEqualTo(1);
        assertThat(doc.get("links").get("threadId").asText()).isEqualTo("t-1");
        assertThat(doc.get("steps"))
                .extracting(s -> s.get("seq").asInt() + " " + s.get("kind").asText() + " "
                        + s.get("name").asText())
                .hasSize(4)
                .startsWith("0 function prepare")
                .endsWith("3 event go");
        JsonNode prepare = doc.get("steps").get(0);
        assertThat(prepare.get("runId").asText()).isEqualTo(id);
        assertThat(prepare.get("type").asText()).isEqualTo("function");
        assertThat(prepare.get("output").asText()).isEqualTo("hi!");
        assertThat(prepare.has("completedAt")).isTrue();
        assertThat(doc.get("inbox"))
                .extracting(e -> e.get("name").asText() + " " + e.get("payload"))
                .containsExactly("unwanted {\"n\":0}", "go {\"n\":7}");
        assertThat(doc.get("inbox").get(1).get("inboxSequence").asLong())
                .isGreaterThan(doc.get("inbox").get(0).get("inboxSequence").asLong());
        List<HistoryEvent> history = engine.history(id, 0, Integer.MAX_VALUE);
        assertThat(doc.get("history")).hasSize(history.size());
        assertThat(doc.get("history").get(0).get("type").asText()).isEqualTo("run_created");

        // read back from text: every step field, every history event, every inbox entry
        RunExport back = RunExport.fromJson(TernJson.reader().readTree(doc.toString()));
        assertThat(back.steps()).isEqualTo(engine.steps(id));
        assertThat(back.history()).isEqualTo(history);
        assertThat(back.inbox()).extracting(RunExport.InboxEntry::name).containsExactly("unwanted", "go");
        assertThat(back.run())
                .usingRecursiveComparison()
                .comparingOnlyFields(
                        "id", "kind", "name", "status", "input", "output", "createdAt", "startedAt", "completedAt")
                .isEqualTo(run);
        assertThat(back.run().links()).isEqualTo(run.links());
        assertThat(back.toJson()).isEqualTo(doc);

        // the child names its parent; a fork names what it was forked from
        String childId = engine.steps(id).get(1).output().get("childRunId").asText();
        assertThat(engine.export(childId)
                        .toJson()
                        .get("links")
                        .get("parentRunId")
                        .asText())
                .isEqualTo(id);
        RunRecord fork = engine.fork(id, 1, null, RunOptions.none());
        JsonNode forked = engine.export(fork.id()).toJson().get("links").get("forkedFrom");
        assertThat(forked.toString()).isEqualTo("{\"runId\":\"" + id + "\",\"step\":1}");
    }

    @Test
    void theExportReplaysAgainstTheUnchangedCodeOnly() throws Exception {
        String id = engine.start("parent", new In("hi"));
        await().atMost(WAIT).until(() -> engine.steps(id).size() >= 3);
        engine.send(id, "go", new Go(1));
        assertThat(engine.awaitCompletion(id, WAIT).status()).isEqualTo(RunStatus.COMPLETED);
        RunExport export = engine.export(id);
        int executed = bodies.get();

        ReplayResult same = export.replay(parent("kid"));
        assertThat(same.matches()).isTrue();
        assertThat(same.replayedSteps()).isEqualTo(4);
        ReplayResult changed = export.replay(parent("other"));
        assertThat(changed.matches()).isFalse();
        assertThat(changed.divergence().describe())
                .isEqualTo("step 1: the history has 'child:kid' (child) but the code asked for 'child:other' (child)");
        assertThat(bodies).hasValue(executed);
    }

    @Test
    void aFailedRunCarriesItsErrorAndAMissingRunIsNotFound() throws Exception {
        String id = engine.start("broken", new In("x"));
        assertThat(engine.awaitCompletion(id, WAIT).status()).isEqualTo(RunStatus.FAILED);
        JsonNode doc = engine.export(id).toJson();
        assertThat(doc.get("run").get("status").asText()).isEqualTo("failed");
        assertThat(doc.get("run").get("error").get("step").asText()).isEqualTo("explode");
        assertThat(doc.get("steps").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(doc.get("steps").get(0).get("error").get("message").asText()).contains("boom");
        assertThat(RunExport.fromJson(doc).run().error())
                .isEqualTo(engine.requireRun(id).error());

        assertThatThrownBy(() -> engine.export("run_doesnotexist")).isInstanceOf(RunNotFoundException.class);
    }
}
