package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Revisions and patches: runs pinned to the revision they started on replay on it beside a newer one; a node without a
 * run's revision never claims it (it waits, marked revision_unavailable) until a node with it starts; {@code patched}
 * true on new runs, false replaying a history recorded before the patch, also after a crash; {@code deprecatePatch}
 * skips an old marker.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RevisionTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration NAP = Duration.ofMillis(1500);

    record In(String text) {}

    record Out(String text) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    final List<TernEngine> others = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        others.forEach(TernEngine::close);
        if (fixture != null) fixture.close();
    }

    /** Step a, a durable sleep, then step b naming the code that ran it. */
    static WorkflowDefinition<In, Out> napper(String version) {
        return WorkflowDefinition.of("napper", In.class, Out.class, (ctx, in) -> {
                    String a = ctx.step("a", String.class, () -> in.text());
                    ctx.sleep(NAP);
                    return new Out(ctx.step("b", String.class, () -> a + "@" + version));
                })
                .version(version);
    }

    static Definitions defs(WorkflowDefinition<?, ?>... workflows) {
        Definitions.Builder b = Definitions.builder();
        for (WorkflowDefinition<?, ?> w : workflows) b.workflow(w);
        return b.build();
    }

    String startNapper(TernEngine engine, String text) {
        return engine.schedule(
                        RunnableDefinition.Kind.WORKFLOW,
                        "napper",
                        JsonNodeFactory.instance.objectNode().put("text", text))
                .id();
    }

    static void awaitSuspended(TernEngine engine, String runId) {
        await().atMost(WAIT).until(() -> engine.requireRun(runId).suspended());
    }

    static String output(TernEngine engine, String runId) throws InterruptedException {
        RunRecord run = engine.awaitCompletion(runId, WAIT);
        assertThat(run.status()).as("%s: %s", runId, run.error()).isEqualTo(RunStatus.COMPLETED);
        return run.output().get("text").asText();
    }

    @Test
    void aRunKeepsItsRevisionBesideANewerOneAndNewRunsTakeTheNewest() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(defs(napper("v1")));
        String old = startNapper(engine, "old");
        assertThat(engine.requireRun(old).revision()).isEqualTo("v1");
        awaitSuspended(engine, old);
        fixture.crash();

        engine = fixture.start(defs(napper("v1"), napper("v2")));
        String fresh = startNapper(engine, "new");
        assertThat(engine.requireRun(fresh).revision()).isEqualTo("v2");
        assertThat(output(engine, old)).isEqualTo("old@v1");
        assertThat(output(engine, fresh)).isEqualTo("new@v2");
        assertThat(engine.runs(new RunQuery(null, null, null, 10, null).withRevision("v1"))
                        .runs())
                .extracting(RunRecord::id)
                .containsExactly(old);
        assertThat(engine.catalog().describe())
                .filteredOn(d -> d.name().equals("napper"))
                .extracting(DefinitionInfo::revision)
                .containsExactly("v1", "v2");
    }

    @Test
    void aNodeWithoutARunsRevisionLeavesItWaitingUntilANodeWithItStarts() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(defs(napper("v1")), fixture.config().withNodeId("node-v1"));
        String old = startNapper(engine, "old");
        awaitSuspended(engine, old);
        fixture.crash();

        TernEngine v2only = fixture.start(defs(napper("v2")), fixture.config().withNodeId("node-v2"));
        String fresh = startNapper(v2only, "new");
        assertThat(output(v2only, fresh)).isEqualTo("new@v2");
        await().atMost(WAIT).until(() -> v2only.requireRun(old).waiting().onRevision());
        RunRecord waiting = v2only.requireRun(old);
        assertThat(waiting.status().isTerminal()).isFalse();
        assertThat(waiting.attempt()).as("never claimed by the node without v1").isEqualTo(1);

        TernEngine v1;
        if (store == StoreKind.POSTGRESQL) { // a second node on the same database, beside the first
            v1 = TernEngine.start(fixture.config().withNodeId("node-v1b"), defs(napper("v1")));
            others.add(v1);
        } else { // one process per SQLite file: the deploy brings v1 back
            fixture.crash();
            v1 = fixture.start(defs(napper("v1")), fixture.config().withNodeId("node-v1b"));
        }
        assertThat(output(v1, old)).isEqualTo("old@v1");
        assertThat(v1.requireRun(old).waiting().onRevision()).isFalse();
    }

    /** Step a, then (patched code) a patch check, a durable sleep, and step b saying which path ran. */
    static WorkflowDefinition<In, Out> refund(String code) {
        return WorkflowDefinition.of("refund", In.class, Out.class, (ctx, in) -> {
            String a = ctx.step("a", String.class, () -> in.text());
            boolean patched = false;
            if (code.equals("patched")) patched = ctx.patched("fix-refund-rounding");
            if (code.equals("deprecated")) ctx.deprecatePatch("fix-refund-rounding");
            ctx.sleep(NAP);
            String path = code.equals("deprecated") ? "new" : patched ? "new" : "old";
            return new Out(ctx.step("b", String.class, () -> a + ":" + path));
        });
    }

    @Test
    void patchedIsFalseReplayingAnOldHistoryAndTrueOnNewRunsAcrossCrashes() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(defs(refund("original")));
        String before = engine.schedule(
                        RunnableDefinition.Kind.WORKFLOW,
                        "refund",
                        JsonNodeFactory.instance.objectNode().put("text", "before"))
                .id();
        awaitSuspended(engine, before);
        fixture.crash();

        engine = fixture.start(defs(refund("patched")));
        String after = engine.schedule(
                        RunnableDefinition.Kind.WORKFLOW,
                        "refund",
                        JsonNodeFactory.instance.objectNode().put("text", "after"))
                .id();
        awaitSuspended(engine, after);
        assertThat(engine.steps(after))
                .extracting(StepRecord::name, StepRecord::kind)
                .contains(org.assertj.core.groups.Tuple.tuple("patch:fix-refund-rounding", StepKind.PATCH));
        fixture.crash(); // the marker is in the history: replay after the crash takes the new path again

        engine = fixture.start(defs(refund("patched")));
        assertThat(output(engine, before)).isEqualTo("before:old");
        assertThat(output(engine, after)).isEqualTo("after:new");
        assertThat(engine.steps(before)).extracting(StepRecord::kind).doesNotContain(StepKind.PATCH);

        // every old run ended: the patch is deprecated; a history holding its marker still replays
        String another = engine.schedule(
                        RunnableDefinition.Kind.WORKFLOW,
                        "refund",
                        JsonNodeFactory.instance.objectNode().put("text", "another"))
                .id();
        awaitSuspended(engine, another);
        fixture.crash();
        engine = fixture.start(defs(refund("deprecated")));
        assertThat(output(engine, another)).isEqualTo("another:new");
        String latest = engine.schedule(
                        RunnableDefinition.Kind.WORKFLOW,
                        "refund",
                        JsonNodeFactory.instance.objectNode().put("text", "latest"))
                .id();
        assertThat(output(engine, latest)).isEqualTo("latest:new");
        assertThat(engine.steps(latest)).extracting(StepRecord::kind).doesNotContain(StepKind.PATCH);
    }
}
