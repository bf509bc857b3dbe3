package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run's children start on the parent's node, as that node's, when it has slots free: created running in their first
 * attempt and started at once, with no claim by any node (as a run created through this node's API is); beyond its free
 * slots they are queued for any node to claim, as before.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ChildStartTest {
    record Say(String text) {}

    /** Children's steps wait for it: open unless a test closes it. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    static final WorkflowDefinition<Say, Say> CHILD = WorkflowDefinition.of(
            "child",
            Say.class,
            Say.class,
            (ctx, in) -> new Say(ctx.step("add", String.class, () -> {
                if (!gate.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the gate stayed shut");
                return in.text() + "+";
            })));

    /** Starts {@code n} children (its input's text is n), then awaits them all; joins their outputs. */
    static final WorkflowDefinition<Integer, Say> PARENT =
            WorkflowDefinition.of("parent", Integer.class, Say.class, (ctx, n) -> {
                List<ChildRun> children = new ArrayList<>();
                for (int i = 0; i < n; i++) children.add(ctx.startChild("child", new Say("c" + i)));
                return new Say(ctx.awaitAll(children, Say.class).stream()
                        .map(Say::text)
                        .collect(Collectors.joining(",")));
            });

    static final Duration LIMIT = Duration.ofSeconds(30);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        gate.countDown();
        fixture.close();
    }

    TernEngine start(int maxActiveRuns) {
        return start(maxActiveRuns, Duration.ofSeconds(20));
    }

    TernEngine start(int maxActiveRuns, Duration suspendGrace) {
        fixture = new EngineFixture(store, dir);
        return fixture.start(
                Definitions.builder().workflow(CHILD).workflow(PARENT).build(),
                fixture.config()
                        .withNodeId("node-a")
                        .withMaxActiveRuns(maxActiveRuns)
                        .withSuspendGrace(suspendGrace)
                        .withObservability(Observability.of(meters, OpenTelemetry.noop())));
    }

    double claimedNew() {
        return meters.get("tern.runs.claimed").tag("reason", "new").counter().count();
    }

    static String joined(int n) {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) outputs.add("c" + i + "+");
        return String.join(",", outputs);
    }

    @Test
    void childrenStartOnTheirParentsNodeWithoutBeingClaimed() throws Exception {
        TernEngine engine = start(100);
        List<String> parents = new ArrayList<>();
        for (int p = 0; p < 4; p++) parents.add(engine.start("parent", 8));
        for (String id : parents) {
            RunRecord done = engine.awaitCompletion(id, LIMIT);
            assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(done.output().path("text").asText()).isEqualTo(joined(8));
        }
        assertThat(claimedNew()).isZero();
        List<RunRecord> children = engine.runs(new RunQuery(null, null, null, 100, null).withParent(parents.get(0)))
                .runs();
        assertThat(children).hasSize(8).allSatisfy(child -> {
            assertThat(child.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(engine.attempts(child.id()))
                    .singleElement()
                    .satisfies(a -> assertThat(a.nodeId()).isEqualTo("node-a"));
        });
    }

    @Test
    void childrenBeyondTheNodesFreeSlotsAreQueuedAndClaimed() throws Exception {
        TernEngine engine = start(3);
        gate = new CountDownLatch(1);
        String id = engine.start("parent", 6);
        await().atMost(LIMIT)
                .until(() -> engine.runs(new RunQuery(null, null, null, 100, null).withParent(id))
                                .runs()
                                .size()
                        == 6);
        gate.countDown();
        RunRecord done = engine.awaitCompletion(id, LIMIT);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo(joined(6));
        // the parent and two children took the three slots; the other four waited in the queue
        assertThat(claimedNew()).isEqualTo(4);
    }

    @Test
    void aParentSuspendedOnItsChildIsWokenByTheChildsEnd() throws Exception {
        TernEngine engine = start(100, Duration.ofMillis(200));
        gate = new CountDownLatch(1);
        String id = engine.start("parent", 1);
        await().atMost(LIMIT).until(() -> engine.requireRun(id).suspended());
        gate.countDown();
        RunRecord done = engine.awaitCompletion(id, LIMIT);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo("c0+");
    }

    @Test
    void childrenStartedOnANodeThatStopsMidFlightResumeWithTheirParent() throws Exception {
        TernEngine engine = start(100);
        gate = new CountDownLatch(1);
        String id = engine.start("parent", 4);
        RunQuery children = new RunQuery(null, null, null, 100, null).withParent(id);
        await().atMost(LIMIT).until(() -> engine.runs(children).runs().size() == 4);
        fixture.crash(); // the children's steps are blocked at the gate: every run is in flight
        gate.countDown();
        TernEngine again = fixture.start(
                Definitions.builder().workflow(CHILD).workflow(PARENT).build(),
                fixture.config().withNodeId("node-b"));
        RunRecord done = again.awaitCompletion(id, LIMIT);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().path("text").asText()).isEqualTo(joined(4));
        assertThat(again.runs(children).runs()).hasSize(4).allSatisfy(child -> {
            assertThat(child.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(again.attempts(child.id()))
                    .extracting(AttemptRecord::nodeId)
                    .containsExactly("node-a", "node-b");
        });
    }
}
