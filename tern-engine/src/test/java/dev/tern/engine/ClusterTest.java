package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.internal.store.Claim;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoreFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on one PostgreSQL schema: claims never overlap, signals and cancels reach the owner, dead nodes' runs
 * move.
 */
class ClusterTest {
    record In(String text) {}

    record Out(String text) {}

    final String schema = PostgresTestDatabase.newSchema();
    final List<AutoCloseable> open = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> executedOn = new ConcurrentHashMap<>();
    final AtomicInteger firstStepRuns = new AtomicInteger();
    /** The value the holder's first step returned, by run: each run's own when replayed elsewhere. */
    final Map<String, Integer> firstStepOf = new ConcurrentHashMap<>();

    final CountDownLatch blocked = new CountDownLatch(1);
    final AtomicBoolean holding = new AtomicBoolean(true);
    final AtomicInteger held = new AtomicInteger();

    Definitions definitions(String node) {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("waiter", In.class, Out.class, (ctx, in) -> {
                    ctx.step("mark", String.class, () -> executedOn.put(ctx.runId(), node));
                    In event = ctx.awaitEvent("go", In.class);
                    return new Out(in.text() + event.text());
                }))
                .workflow(WorkflowDefinition.of("blocker", In.class, Out.class, (ctx, in) -> {
                    ctx.step("first", Integer.class, firstStepRuns::incrementAndGet);
                    String where = ctx.step("block", String.class, () -> {
                        executedOn.put(ctx.runId(), node);
                        if (in.text().equals("block") && blocked.getCount() > 0) {
                            blocked.countDown();
                            Thread.sleep(60_000);
                        }
                        return node;
                    });
                    return new Out(where);
                }))
                .workflow(WorkflowDefinition.of("holder", In.class, Out.class, (ctx, in) -> {
                    int first = ctx.step("first", Integer.class, () -> {
                        int n = firstStepRuns.incrementAndGet();
                        firstStepOf.put(ctx.runId(), n);
                        return n;
                    });
                    String where = ctx.step("hold", String.class, () -> {
                        held.incrementAndGet();
                        while (holding.get()) Thread.sleep(10);
                        return node;
                    });
                    return new Out(where + ":" + first);
                }))
                .build();
    }

    TernEngine node(String id) {
        return node(id, Duration.ofSeconds(2));
    }

    TernEngine node(String id, Duration lease) {
        EngineConfig config = EngineConfig.postgres(PostgresTestDatabase.url(schema))
                .withNodeId(id)
                .withLeaseDuration(lease)
                .withSuspendGrace(Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(200));
        TernEngine engine = TernEngine.start(config, definitions(id));
        open.add(engine);
        return engine;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : new ArrayList<>(open).reversed()) c.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void nodesStartingAtOnceMigrateTheSchemaSafely() throws Exception {
        List<java.util.concurrent.Future<TernEngine>> starting = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                String id = "starter-" + i;
                starting.add(pool.submit(() -> node(id)));
            }
        }
        for (var f : starting) assertThat(f.get().nodeId()).startsWith("starter-");
        TernEngine any = starting.get(2).get();
        RunRecord run = any.awaitCompletion(any.start("blocker", new In("go")), Duration.ofSeconds(10));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void concurrentClaimersNeverTakeTheSameRun() throws Exception {
        String url = PostgresTestDatabase.url(schema);
        RunStore seed = StoreFactory.postgres(url);
        open.add(seed);
        int runs = 400;
        Instant now = Instant.now();
        List<java.util.concurrent.CompletableFuture<String>> created = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            created.add(seed.createRun(new NewRun("run_claim" + i, "workflow", "waiter", "{}", now, null, null)));
        }
        created.forEach(java.util.concurrent.CompletableFuture::join);

        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> claimers = new ArrayList<>();
        // every store is open before any claimer starts, so they all race from the same moment
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int n = 0; n < 6; n++) {
            RunStore store = StoreFactory.postgres(url);
            open.add(store);
            String node = "claimer-" + n;
            claimers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    List<Claim> claims = store.claim(
                                    node, Instant.now(), 7, Instant.now().plusSeconds(600))
                            .join();
                    if (claims.isEmpty()) return;
                    for (Claim c : claims)
                        if (claimedBy.putIfAbsent(c.runId(), node) != null) duplicates.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread t : claimers) t.join(60_000);
        assertThat(duplicates).hasValue(0);
        assertThat(claimedBy).hasSize(runs);
        assertThat(claimedBy.values().stream().distinct().count())
                .as("work was spread over claimers")
                .isGreaterThan(1);
        for (int i = 0; i < runs; i += 50)
            assertThat(seed.attempts("run_claim" + i)).hasSize(1);
    }

    @Test
    void eventsAndCancelsSentToAnyNodeReachTheRunWhereverItExecutes() throws Exception {
        TernEngine a = node("node-a");
        TernEngine b = node("node-b");
        String viaA = a.start("waiter", new In("x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.requireRun(viaA).suspended());
        b.send(viaA, "go", new In("y"));
        RunRecord done = b.awaitCompletion(viaA, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("text").asText()).isEqualTo("xy");

        String blocking = a.start("blocker", new In("block"));
        assertThat(a.attempts(blocking)).extracting(AttemptRecord::nodeId).containsExactly("node-a");
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        long asked = System.nanoTime();
        b.cancel(blocking);
        RunRecord cancelled = b.awaitCompletion(blocking, Duration.ofSeconds(10));
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDeadNodesRunIsTakenOverByAnotherNodeAsANewAttempt() throws Exception {
        TernEngine a = node("node-a");
        String id = a.start("blocker", new In("block"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        a.close();
        open.remove(a);

        TernEngine b = node("node-b");
        RunRecord run = b.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(run.status()).as("%s", run).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().get("text").asText()).isEqualTo("node-b");
        List<AttemptRecord> attempts = b.attempts(id);
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts.get(0).nodeId()).isEqualTo("node-a");
        assertThat(attempts.get(1).nodeId()).isEqualTo("node-b");
        assertThat(attempts.get(1).attempt()).isEqualTo(2);
        assertThat(firstStepRuns).hasValue(1);
    }

    /**
     * More runs than one claim takes (256): node a gives them all back as it shuts down, in one batch of statements,
     * and node b claims them in batches, each run in a new attempt of its own, its {@code attempt_started} event next
     * in its own history, and the attempt it interrupted ended.
     */
    @Test
    void manyRunsGivenBackAreClaimedInBatchesEachInANewAttemptOfItsOwn() throws Exception {
        Duration lease = Duration.ofSeconds(60);
        TernEngine a = node("node-a", lease);
        int runs = 300;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) ids.add(a.start("holder", new In("h" + i)));
        await().atMost(Duration.ofSeconds(30)).until(() -> held.get() == runs);
        a.close();
        open.remove(a);
        holding.set(false);

        TernEngine b = node("node-b", lease);
        for (String id : ids) {
            RunRecord run = b.awaitCompletion(id, Duration.ofSeconds(30));
            assertThat(run.status()).as("%s", run).isEqualTo(RunStatus.COMPLETED);
            // its first step's result from node a, read back with the claim's other runs' steps, not run again
            assertThat(run.output().get("text").asText()).isEqualTo("node-b:" + firstStepOf.get(id));
        }
        for (String id : ids) {
            List<AttemptRecord> attempts = b.attempts(id);
            assertThat(attempts).extracting(AttemptRecord::nodeId).containsExactly("node-a", "node-b");
            assertThat(attempts).extracting(AttemptRecord::attempt).containsExactly(1, 2);
            assertThat(attempts.get(0).endedAt())
                    .as("the interrupted attempt of %s ended", id)
                    .isNotNull();
            List<HistoryEvent> history = b.history(id, 0, 100);
            assertThat(history)
                    .extracting(HistoryEvent::eventSequence)
                    .as("the history of %s numbered without gaps", id)
                    .isEqualTo(LongStream.rangeClosed(1, history.size()).boxed().toList());
            assertThat(history)
                    .filteredOn(e -> e.type() == HistoryEventType.ATTEMPT_STARTED)
                    .extracting(HistoryEvent::attempt)
                    .containsExactly(1, 2);
            // the step node a had begun starts again as its second attempt: its starts read with the claim's other
            // runs'
            assertThat(history)
                    .filteredOn(e -> e.type() == HistoryEventType.STEP_STARTED
                            && e.data().path("name").asText().equals("hold"))
                    .extracting(e -> e.data().path("attempt").asInt())
                    .as("the attempts of %s's step hold", id)
                    .containsExactly(1, 2);
        }
        assertThat(firstStepRuns).hasValue(runs);
    }

    /**
     * Many suspended runs woken at once are claimed in batches (their rows read together), each resumed in the attempt
     * it suspended in from its own input, with the resumption and its node recorded beside that attempt.
     */
    @Test
    void manySuspendedRunsWokenAtOnceAreEachResumedInTheirOwnAttempt() throws Exception {
        TernEngine a = node("node-a", Duration.ofSeconds(60));
        int runs = 300;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) ids.add(a.start("waiter", new In("w" + i)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream().allMatch(id -> a.requireRun(id).suspended()));
        for (String id : ids) a.send(id, "go", new In("!"));

        for (int i = 0; i < runs; i++) {
            String id = ids.get(i);
            RunRecord run = a.awaitCompletion(id, Duration.ofSeconds(30));
            assertThat(run.status()).as("%s", run).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("text").asText()).as("its own input").isEqualTo("w" + i + "!");
            List<AttemptRecord> attempts = a.attempts(id);
            assertThat(attempts).extracting(AttemptRecord::attempt).containsExactly(1);
            assertThat(attempts.get(0).resumes())
                    .as("the resumption of %s", id)
                    .extracting(AttemptRecord.Resume::nodeId)
                    .containsExactly("node-a");
        }
    }

    @Test
    void aNodeThatShutsDownGivesItsRunsBackAtOnceInsteadOfLettingTheirLeasesLapse() throws Exception {
        Duration lease = Duration.ofSeconds(60);
        TernEngine a = node("node-a", lease);
        String blockedRun = a.start("blocker", new In("block"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        long closing = System.nanoTime();
        a.close();
        open.remove(a);
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));

        TernEngine b = node("node-b", lease);
        long started = System.nanoTime();
        RunRecord run = b.awaitCompletion(blockedRun, Duration.ofSeconds(20));
        // well inside the lease: node b did not wait for node a's lease to lapse
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(run.status()).as("%s", run).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().get("text").asText()).isEqualTo("node-b");
        List<AttemptRecord> attempts = b.attempts(blockedRun);
        assertThat(attempts).extracting(AttemptRecord::nodeId).containsExactly("node-a", "node-b");
        // the step interrupted by the shutdown was not recorded as done or failed: its first step ran once
        assertThat(b.steps(blockedRun)).extracting(StepRecord::name).containsExactly("first", "block");
        assertThat(firstStepRuns).hasValue(1);
    }
}
