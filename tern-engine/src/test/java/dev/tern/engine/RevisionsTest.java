package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Several revisions of one workflow side by side: a run keeps replaying on the revision it started on. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RevisionsTest {
    record In(String text) {}

    record Out(String text) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;

    /** Revision 1 waits for "go", then answers "v1"; revision 2 takes a step first and answers "v2". */
    static WorkflowDefinition<In, Out> v1() {
        return WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> {
                    ctx.step("first", String.class, () -> "one");
                    In go = ctx.awaitEvent("go", In.class);
                    return new Out("v1:" + in.text() + go.text());
                })
                .version("2026-01-01");
    }

    static WorkflowDefinition<In, Out> v2() {
        return WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> {
                    ctx.step("renamed-first", String.class, () -> "one");
                    ctx.step("extra", String.class, () -> "two");
                    In go = ctx.awaitEvent("go", In.class);
                    return new Out("v2:" + in.text() + go.text());
                })
                .version("2026-12-01");
    }

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    @Test
    void runsStartedBeforeTheSwitchFinishOnTheOldCodeAndNewRunsOnTheNew() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine old = fixture.start(Definitions.builder().workflow(v1()).build());
        String before = old.start("flow", new In("a"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> old.requireRun(before).suspended());
        assertThat(old.requireRun(before).release().revision()).isEqualTo("2026-01-01");

        fixture.crash();
        TernEngine both = fixture.start(
                Definitions.builder().workflow(v1()).workflow(v2()).build());
        assertThat(both.catalog().describe().getFirst().revisions()).containsExactly("2026-01-01", "2026-12-01");
        assertThat(both.catalog().describe().getFirst().revision()).isEqualTo("2026-12-01");
        String after = both.start("flow", new In("b"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> both.requireRun(after).suspended());
        both.send(before, "go", new In("!"));
        both.send(after, "go", new In("?"));

        RunRecord oldRun = both.awaitCompletion(before, Duration.ofSeconds(10));
        RunRecord newRun = both.awaitCompletion(after, Duration.ofSeconds(10));
        assertThat(oldRun.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(oldRun.output().get("text").asText()).isEqualTo("v1:a!");
        assertThat(newRun.output().get("text").asText()).isEqualTo("v2:b?");
        assertThat(newRun.release().revision()).isEqualTo("2026-12-01");
        assertThat(newRun.release().channel()).isEqualTo("default");

        RunQuery all = new RunQuery(null, null, null, 10, null);
        assertThat(both.runs(all.withRevision("2026-01-01")).runs())
                .extracting(RunRecord::id)
                .containsExactly(before);
        assertThat(both.runs(all.withRevision("2026-12-01")).runs())
                .extracting(RunRecord::id)
                .containsExactly(after);
    }

    @Test
    void aRunWhoseRevisionNoNodeHasWaitsVisiblyAndIsNeverFailed() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine both = fixture.start(
                Definitions.builder().workflow(v1()).workflow(v2()).build());
        String pinned = both.start("flow", new In("x"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> both.requireRun(pinned).suspended());

        fixture.crash();
        TernEngine oldOnly = fixture.start(Definitions.builder().workflow(v1()).build());
        oldOnly.send(pinned, "go", new In("!"));
        Thread.sleep(1_500);
        RunRecord waiting = oldOnly.requireRun(pinned);
        assertThat(waiting.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(waiting.error()).isNull();
        assertThat(oldOnly.releases().unavailable(waiting)).isTrue();
        assertThat(oldOnly.releases().unfinishedByRevision())
                .extracting(Releases.RevisionCount::revision)
                .contains("2026-12-01");

        fixture.crash();
        TernEngine upgraded = fixture.start(
                Definitions.builder().workflow(v1()).workflow(v2()).build());
        RunRecord done = upgraded.awaitCompletion(pinned, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("text").asText()).isEqualTo("v2:x!");
    }

    @Test
    void channelsPickTheRevisionNewRunsStartOn() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(
                Definitions.builder().workflow(v1()).workflow(v2()).build());
        engine.releases().setChannel("stable", "flow", "2026-01-01");
        var input = JsonNodeFactory.instance.objectNode().put("text", "c");
        RunRecord stable =
                engine.schedule(null, "flow", input, RunOptions.none().withReleaseChannel("stable"));
        RunRecord latest = engine.schedule(null, "flow", input, RunOptions.none());
        assertThat(stable.release().revision()).isEqualTo("2026-01-01");
        assertThat(stable.release().channel()).isEqualTo("stable");
        assertThat(latest.release().revision()).isEqualTo("2026-12-01");
        assertThat(engine.releases().channels())
                .extracting(Releases.Channel::name, Releases.Channel::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stable", "2026-01-01"));
        assertThatThrownBy(() ->
                        engine.schedule(null, "flow", input, RunOptions.none().withReleaseChannel("nope")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> engine.releases().setChannel("stable", "flow", "1999"))
                .isInstanceOf(InvalidInputException.class);

        // a schedule's runs start by its channel
        ScheduleRecord onStable = engine.schedules()
                .create(ScheduleSpec.every("flow", input, Duration.ofSeconds(1)).withReleaseChannel("stable"));
        assertThat(onStable.releaseChannel()).isEqualTo("stable");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !engine.schedules().runs(onStable.id(), 10).isEmpty());
        engine.schedules().pause(onStable.id());
        RunRecord fired = engine.schedules().runs(onStable.id(), 10).getFirst();
        assertThat(fired.release().channel()).isEqualTo("stable");
        assertThat(fired.release().revision()).isEqualTo("2026-01-01");
        assertThatThrownBy(() -> engine.schedules()
                        .create(ScheduleSpec.every("flow", input, Duration.ofSeconds(1))
                                .withReleaseChannel("no way")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid schedule");
        assertThat(stable.release().executionProfile().get("revision").asText()).isEqualTo("2026-01-01");
        assertThat(stable.release()
                        .runPolicy()
                        .get("retryPolicy")
                        .get("maxAttempts")
                        .asInt())
                .isEqualTo(3);
    }

    /** Runs scheduled alike share their snapshots; a run's own options, and another revision, give it its own. */
    @Test
    void runsScheduledAlikeRecordTheSameSnapshotsAndTheirOwnOptionsTheirOwn() throws Exception {
        fixture = new EngineFixture(store, dir);
        TernEngine engine = fixture.start(
                Definitions.builder().workflow(v1()).workflow(v2()).build());
        engine.releases().setChannel("stable", "flow", "2026-01-01");
        var input = JsonNodeFactory.instance.objectNode().put("text", "s");
        RunRecord a = engine.schedule(null, "flow", input, RunOptions.none());
        RunRecord b = engine.schedule(null, "flow", input, RunOptions.none());
        RunRecord onStable =
                engine.schedule(null, "flow", input, RunOptions.none().withReleaseChannel("stable"));
        java.time.Instant deadline = java.time.Instant.parse("2099-01-01T00:00:00Z");
        RunRecord own = engine.schedule(
                null, "flow", input, RunOptions.none().withIdempotencyKey("k-1").withDeadline(deadline));
        RunRecord plainAgain = engine.schedule(null, "flow", input, RunOptions.none());

        for (RunRecord run : List.of(a, b, own, plainAgain, onStable)) {
            RunRecord read = engine.requireRun(run.id());
            assertThat(read.release().executionProfile())
                    .isEqualTo(run.release().executionProfile());
            assertThat(read.release().runPolicy()).isEqualTo(run.release().runPolicy());
        }
        assertThat(b.release().executionProfile()).isEqualTo(a.release().executionProfile());
        assertThat(b.release().runPolicy()).isEqualTo(a.release().runPolicy());
        assertThat(a.release().executionProfile().get("revision").asText()).isEqualTo("2026-12-01");
        assertThat(onStable.release().executionProfile().get("revision").asText())
                .isEqualTo("2026-01-01");
        assertThat(onStable.release().channel()).isEqualTo("stable");
        assertThat(own.release().runPolicy().get("idempotencyKey").asText()).isEqualTo("k-1");
        assertThat(own.release().runPolicy().get("deadlineAt").asText()).isEqualTo(deadline.toString());
        assertThat(a.release().runPolicy().has("idempotencyKey")).isFalse();
        assertThat(plainAgain.release().runPolicy()).isEqualTo(a.release().runPolicy());
        assertThat(plainAgain.release().runPolicy().has("deadlineAt")).isFalse();
    }

    @Test
    void aChildRunRecordsItsRevisionAndTheSnapshotsItRunsUnder() throws Exception {
        fixture = new EngineFixture(store, dir);
        WorkflowDefinition<In, Out> kid = WorkflowDefinition.of(
                        "kid", In.class, Out.class, (ctx, in) -> new Out("kid:" + in.text()))
                .version("k1");
        WorkflowDefinition<In, Out> parent = WorkflowDefinition.of(
                        "parent", In.class, Out.class, (ctx, in) -> ctx.runChild("kid", in, Out.class))
                .version("p1");
        TernEngine engine = fixture.start(
                Definitions.builder().workflow(kid).workflow(parent).build());
        String id = engine.start("parent", new In("x"));
        RunRecord done = engine.awaitCompletion(id, Duration.ofSeconds(10));
        assertThat(done.output().get("text").asText()).isEqualTo("kid:x");
        RunRecord child =
                engine.runs(new RunQuery(null, "kid", null, 10, null)).runs().getFirst();
        assertThat(child.release().revision()).isEqualTo("k1");
        assertThat(child.release().channel()).isEqualTo(done.release().channel());
        assertThat(child.release().executionProfile().get("definition").asText())
                .isEqualTo("kid");
        assertThat(child.release().executionProfile().get("revision").asText()).isEqualTo("k1");
        assertThat(child.release().executionProfile().get("timeouts"))
                .isEqualTo(done.release().executionProfile().get("timeouts"));
        assertThat(child.release()
                        .runPolicy()
                        .get("retryPolicy")
                        .get("maxAttempts")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void derivedRevisionsAreStableAndTwoEqualRevisionsAreRefused() {
        WorkflowDefinition<In, Out> a =
                WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> in == null ? null : new Out(""));
        WorkflowDefinition<In, Out> b = WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> null);
        assertThat(a.revision()).hasSize(12).isEqualTo(b.revision());
        assertThat(a.withDescription("d").revision()).isEqualTo(a.revision());
        assertThatThrownBy(() -> Definitions.builder().workflow(a).workflow(b)).hasMessageContaining("revision");
        assertThat(List.of(v1().revision(), v2().revision())).containsExactly("2026-01-01", "2026-12-01");
    }
}
