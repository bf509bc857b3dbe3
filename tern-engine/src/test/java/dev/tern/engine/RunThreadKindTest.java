package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which thread a run's code executes on: on PostgreSQL a quiet node's run has a platform thread of its own (which
 * commits the run's writes itself instead of handing them to the writer lane's thread), named after the run; runs
 * beyond the node's few runners get virtual threads; a run cancelled while its step blocks on a runner ends cancelled
 * and the runner goes on with the next run. On SQLite, whose writer takes commits from virtual threads as well, every
 * run has a virtual thread.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RunThreadKindTest {
    record In(int n) {}

    record Out(int n) {}

    /** Per run input: whether its code ran on a virtual thread, and the thread's name. */
    static final Map<Integer, String> seen = new ConcurrentHashMap<>();

    static volatile CountDownLatch gate = new CountDownLatch(1);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        seen.clear();
        gate = new CountDownLatch(1);
        fixture = new EngineFixture(store, dir);
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of("where", In.class, Out.class, (ctx, in) -> {
                    int n = ctx.step("note", Integer.class, () -> noteThread(in.n()));
                    return new Out(ctx.step("again", Integer.class, () -> n + 1));
                }))
                .workflow(WorkflowDefinition.of("held", In.class, Out.class, (ctx, in) -> {
                    ctx.step("note", Integer.class, () -> noteThread(in.n()));
                    return new Out(ctx.step("wait", Integer.class, () -> gate.await(30, TimeUnit.SECONDS) ? 1 : 0));
                }))
                .build();
        engine = fixture.start(definitions);
    }

    /** Notes, under the run's input, the kind and name of the thread the run's step executes on. */
    private static int noteThread(int n) {
        Thread t = Thread.currentThread();
        seen.put(n, (t.isVirtual() ? "virtual " : "platform ") + t.getName());
        return n;
    }

    @AfterEach
    void stop() {
        gate.countDown();
        fixture.close();
    }

    @Test
    void aLoneRunExecutesOnAThreadOfTheKindItsStoreWritesFromBest() throws Exception {
        for (int i = 0; i < 3; i++) {
            String id = engine.start("where", new In(i));
            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("n").asInt()).isEqualTo(i + 1);
            String kind = store == StoreKind.POSTGRESQL ? "platform " : "virtual ";
            assertThat(seen.get(i)).isEqualTo(kind + "tern-run-" + id);
        }
    }

    @Test
    void runsBeyondTheNodesRunnersExecuteOnVirtualThreads() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int runs = cores + 4;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) ids.add(engine.start("held", new In(i)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == runs);
        long platform =
                seen.values().stream().filter(s -> s.startsWith("platform ")).count();
        if (store == StoreKind.POSTGRESQL) {
            assertThat(platform).isBetween(1L, (long) cores);
        } else {
            assertThat(platform).isZero();
        }
        gate.countDown();
        for (String id : ids)
            assertThat(engine.awaitCompletion(id, Duration.ofSeconds(20)).status())
                    .isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aRunCancelledWhileItsStepBlocksEndsCancelledAndTheNextRunCompletes() throws Exception {
        String held = engine.start("held", new In(1));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey(1));
        engine.cancel(held);
        assertThat(engine.awaitCompletion(held, Duration.ofSeconds(20)).status())
                .isEqualTo(RunStatus.CANCELLED);
        String next = engine.start("where", new In(2));
        RunRecord run = engine.awaitCompletion(next, Duration.ofSeconds(20));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().get("n").asInt()).isEqualTo(3);
    }
}
