package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every store keeps, whatever its database (JobRunr's {@code StorageProviderTest} is the model): a subclass
 * per store opens it on a real database. Times are explicit, so leases expire when a test says so.
 */
abstract class RunStoreContractTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);
    static final Instant LEASE = T0.plusSeconds(10);

    RunStore store;

    /** A store on a fresh database. */
    abstract RunStore open();

    /**
     * Another node's store on the same database as {@link #store}, for concurrent claims (an embedded store, owned by
     * one process, returns itself: its nodes are threads).
     */
    abstract RunStore node();

    @BeforeEach
    void openStore() {
        store = open();
    }

    /**
     * Whether this store's end write hands back the run as it ended ({@link FinishedRun#run()}), when the end
     * {@code changesOthers} (wakes a parent, cancels children) or not.
     */
    abstract boolean endReturnsTheRun(boolean changesOthers);

    /**
     * The run an end handed back is the run as a read finds it right after: whoever waited for the end gets what a read
     * would have given them. A store that does not hand it back hands back nothing.
     */
    void assertEndedAsRead(FinishedRun finished, String runId, boolean changesOthers) {
        StoredRun read = store.findRun(runId).orElseThrow();
        if (endReturnsTheRun(changesOthers)) {
            assertThat(finished.run()).isEqualTo(read);
            assertThat(finished.run().toRecord()).isEqualTo(read.toRecord());
        } else assertThat(finished.run()).isNull();
    }

    /** A connection of its own to {@link #store}'s database, to look at its rows. */
    abstract java.sql.Connection database() throws java.sql.SQLException;

    /** Removes the database after the store closed (nothing for a temp directory). */
    void dropDatabase() {}

    @AfterEach
    void closeStore() {
        store.close();
        dropDatabase();
    }

    @Test
    void writesFromAnAttemptThatLostTheRunAreRefused() {
        create(store, "run_a", "node-a");
        List<Claim> taken = await(store.claim("node-b", LEASE.plusSeconds(1), 10, LEASE.plusSeconds(60)));
        assertThat(taken).containsExactly(new Claim("run_a", 2, false));

        StepRecord stale = step("run_a", 1, 1);
        assertThat(await(store.recordStep(stale, HistoryEventType.STEP_COMPLETED, NODES.objectNode())))
                .isFalse();
        assertThat(await(store.markWaiting("run_a", 1, "limit:k", HistoryEventType.WAITING_ON_LIMIT, null, T0)))
                .isFalse();
        NewRun child = new NewRun(
                "run_child",
                "workflow",
                "w",
                "{}",
                T0,
                null,
                null,
                RunOptions.none(),
                new RunLinks("run_a", null, null, null));
        assertThat(await(store.startChild(stale, child))).isFalse();
        InteractionRecord question = new InteractionRecord("i1", "run_a", 1, "ok?", null, "open", null, T0, null, null);
        assertThat(await(store.openInteraction(stale, question))).isFalse();
        assertThat(await(store.suspend(new Suspension("run_a", 1, null, 0, T0, null))))
                .isFalse();
        assertThat(await(store.continueAsNew(new Continuation("run_a", 1, "run_next", "{}", Set.of(), T0))))
                .isFalse();
        store.appendOwnedHistory("run_a", 1, HistoryEventType.STEP_STARTED, T0, 1, null);
        store.noteWaiting("run_a", 1, "event:x", T0);
        Checkpoint last = new Checkpoint(step("run_a", 2, 1), HistoryEventType.STEP_COMPLETED, NODES.objectNode());
        for (boolean wakesNobody : new boolean[] {true, false}) {
            assertThat(await(store.finishRun(end("run_a", 1, last, wakesNobody)))
                            .ended())
                    .isFalse();
            assertThat(await(store.finishRun(end("run_a", 1, null, wakesNobody)))
                            .ended())
                    .isFalse();
        }
        assertThat(await(store.renewLeases("node-a", T0, LEASE))).isEmpty();
        assertThat(await(store.releaseRuns("node-a", List.of("run_a"), T0))).isZero();

        StoredRun run = store.findRun("run_a").orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.attempt()).isEqualTo(2);
        assertThat(run.owner()).isEqualTo("node-b");
        assertThat(run.suspended()).isFalse();
        assertThat(run.waiting().waitingOn()).isNull();
        assertThat(store.steps("run_a")).isEmpty();
        assertThat(store.findRun("run_child")).isEmpty();
        assertThat(store.findRun("run_next")).isEmpty();
        assertThat(store.interactions("run_a")).isEmpty();
        assertThat(history("run_a"))
                .as("nothing from attempt 1 after attempt 2 started")
                .containsExactly(
                        HistoryEventType.RUN_CREATED,
                        HistoryEventType.ATTEMPT_STARTED,
                        HistoryEventType.ATTEMPT_STARTED);

        assertThat(await(store.recordStep(step("run_a", 1, 2), HistoryEventType.STEP_COMPLETED, NODES.objectNode())))
                .isTrue();
        FinishedRun finished = await(store.finishRun(end("run_a", 2, null, true)));
        assertThat(finished.ended()).isTrue();
        assertThat(store.findRun("run_a").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertEndedAsRead(finished, "run_a", false);
    }

    /**
     * A run's end that carries its last step's checkpoint writes the step and hands back the run as a read finds it.
     */
    @Test
    void anEndAfterItsLastStepHandsBackTheRunAsItEnded() {
        create(store, "run_e", "node-a");
        Checkpoint last = new Checkpoint(step("run_e", 1, 1), HistoryEventType.STEP_COMPLETED, NODES.objectNode());
        FinishedRun finished = await(store.finishRun(end("run_e", 1, last, true)));
        assertThat(finished.ended()).isTrue();
        assertEndedAsRead(finished, "run_e", false);
        assertThat(store.steps("run_e")).extracting(StepRecord::seq).containsExactly(1);
        assertThat(history("run_e"))
                .containsExactly(
                        HistoryEventType.RUN_CREATED,
                        HistoryEventType.ATTEMPT_STARTED,
                        HistoryEventType.STEP_COMPLETED,
                        HistoryEventType.RUN_COMPLETED);
    }

    /**
     * An end given the run as its attempt started it hands back the run as a read finds it right after, though others
     * changed the run meanwhile (an event sent, a cancel asked, a checkpoint written): what its creation fixed comes
     * from that copy, what may have changed from the row. A copy from an earlier attempt is not taken for the row.
     */
    @Test
    void anEndThatKnowsHowItsRunStartedHandsBackTheRunAsARead() {
        RunOptions options = RunOptions.none()
                .withIdempotencyKey("key-known")
                .withDeadline(T0.plusSeconds(600).plusNanos(123_456_789))
                .withThreadId("thread-known")
                .withBudget(dev.tern.sdk.Budget.ofUsd(2.5))
                .withModel(new dev.tern.sdk.ModelChoice("gpt-y", 0.1, 50))
                .withOrg("acme");
        NewRun run = new NewRun(
                        "run_known",
                        "workflow",
                        "w",
                        "{\"n\":1,\"xs\":[1.0,2]}",
                        T0.plusNanos(987_654_321),
                        "node-a",
                        LEASE,
                        options,
                        new RunLinks(null, null, null, null, "00-abc-def-01", null))
                .withRelease(new dev.tern.engine.RunRelease(
                        "rev2", "stable", NODES.objectNode().put("leaseMs", 1_000L), NODES.objectNode()));
        assertThat(await(store.createRun(run))).isEqualTo(run.id());
        StoredRun startedAs = run.inserted();
        await(store.appendInbox(run.id(), "nudge", "{\"x\":1}", T0.plusSeconds(1)));
        await(store.requestCancel(run.id(), "asked to stop", T0.plusSeconds(2)));
        Checkpoint last = new Checkpoint(step(run.id(), 1, 1), HistoryEventType.STEP_COMPLETED, NODES.objectNode());
        FinishedRun finished = await(store.finishRun(new RunEnd(
                run.id(),
                1,
                RunStatus.FAILED,
                null,
                new dev.tern.engine.ErrorInfo("Boom", "it broke", "s1", "err-1"),
                T0.plusSeconds(3).plusNanos(999_999),
                last,
                true,
                startedAs)));
        assertThat(finished.ended()).isTrue();
        assertEndedAsRead(finished, run.id(), false);
        if (finished.run() != null) {
            assertThat(finished.run().cancelRequested()).isTrue();
            assertThat(finished.run().version()).isGreaterThan(startedAs.version());
        }

        create(store, "run_known2", "node-a");
        StoredRun firstAttempt = store.findRun("run_known2").orElseThrow();
        assertThat(await(store.claim("node-b", LEASE.plusSeconds(1), 10, LEASE.plusSeconds(60))))
                .containsExactly(new Claim("run_known2", 2, false));
        StoredRun secondAttempt = store.findRun("run_known2").orElseThrow();
        for (StoredRun copy : List.of(firstAttempt, secondAttempt)) {
            FinishedRun again = await(store.finishRun(new RunEnd(
                    "run_known2",
                    2,
                    RunStatus.COMPLETED,
                    "{\"ok\":true}",
                    null,
                    LEASE.plusSeconds(2),
                    null,
                    true,
                    copy)));
            if (copy == firstAttempt) {
                assertThat(again.ended()).isTrue();
                assertEndedAsRead(again, "run_known2", false);
            } else assertThat(again.ended()).as("ended already").isFalse();
        }
    }

    /**
     * Ends of many runs committed together hand each waiter its own run as a read finds it. On PostgreSQL such ends are
     * sent together and answer only what the copies their attempts started with lack: each run's events, cancel request
     * and version differ here, so an answer given to the wrong run shows.
     */
    @Test
    void endsCommittedTogetherHandBackEachRunAsRead() {
        // the ends share a commit only if they arrive while one commits: every writer is held in a batch while they
        // arrive (on a loaded machine SQLite's fast commits, each led by the thread that submits it, took every end
        // alone in five rounds of 24 in a CI run)
        assertThat(endTogether("run_many_", 24)).as("the ends shared a commit").isTrue();
    }

    /**
     * Every writer lane of the store held in a batch until closed: writes submitted meanwhile queue and then commit
     * together. Submitted from a thread of its own, which may commit its write itself and then waits in it.
     */
    private AutoCloseable holdWriters() throws InterruptedException {
        WriterLanes lanes = ((JdbcRunStore) store).writer;
        var holding = new java.util.concurrent.CountDownLatch(lanes.count());
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofVirtual()
                .start(() -> lanes.everyLane(
                                (tx, lane, none) -> {
                                    holding.countDown();
                                    try {
                                        release.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    return null;
                                },
                                parts -> null)
                        .join());
        holding.await();
        return () -> {
            release.countDown();
            holder.join();
        };
    }

    /**
     * Ends {@code count} runs from virtual threads let go at once, each checked as read; whether any shared a commit.
     */
    private boolean endTogether(String prefix, int count) {
        List<StoredRun> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NewRun run =
                    new NewRun(prefix + i, "workflow", "w", "{\"i\":" + i + "}", T0.plusMillis(i), "node-a", LEASE);
            assertThat(await(store.createRun(run))).isEqualTo(run.id());
            copies.add(run.inserted());
            for (int e = 0; e < i % 3; e++) await(store.appendInbox(run.id(), "nudge", "{}", T0.plusSeconds(1)));
            if (i % 4 == 1) await(store.requestCancel(run.id(), "asked to stop", T0.plusSeconds(2)));
        }
        long[] before = store.writeCounters();
        // from virtual threads let go at once, as runs end: one thread ending them in turn would commit each alone
        List<java.util.concurrent.Future<FinishedRun>> ends = new ArrayList<>();
        var go = new java.util.concurrent.CountDownLatch(1);
        Exception holdFailed = null;
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                StoredRun copy = copies.get(i);
                Checkpoint last = i % 2 == 0
                        ? null
                        : new Checkpoint(step(copy.id(), 1, 1), HistoryEventType.STEP_COMPLETED, NODES.objectNode());
                RunEnd end = new RunEnd(
                        copy.id(),
                        1,
                        RunStatus.COMPLETED,
                        "{\"out\":" + i + "}",
                        null,
                        T0.plusSeconds(3).plusMillis(i),
                        last,
                        true,
                        copy);
                ends.add(threads.submit(() -> {
                    go.await();
                    return await(store.finishRun(end));
                }));
            }
            try (AutoCloseable held = holdWriters()) {
                go.countDown();
                Thread.sleep(300); // the ends queue while every writer is held in a batch
            } catch (Exception e) {
                holdFailed = e;
            } finally {
                go.countDown();
            }
        }
        assertThat(holdFailed).as("the writers held").isNull();
        for (int i = 0; i < count; i++) {
            FinishedRun finished = ends.get(i).resultNow();
            assertThat(finished.ended()).isTrue();
            assertEndedAsRead(finished, copies.get(i).id(), false);
        }
        long[] after = store.writeCounters();
        int holds = ((JdbcRunStore) store).writer.count(); // a write of its own on each lane, committed alone
        assertThat(after[0] - before[0]).as("ends written").isEqualTo(count + holds);
        return after[1] - before[1] - holds < count;
    }

    @Test
    void aSuspendWithAStaleSignalIsRefused() {
        create(store, "run_s", "node-a");
        long seen = store.signals("run_s").orElseThrow().signalSeq();
        assertThat(await(store.appendInbox("run_s", "go", "{}", T0)).runId()).isEqualTo("run_s");

        assertThat(await(store.suspend(new Suspension("run_s", 1, null, seen, T0, null))))
                .as("an event arrived since")
                .isFalse();
        assertThat(store.findRun("run_s").orElseThrow().suspended()).isFalse();

        long now = store.signals("run_s").orElseThrow().signalSeq();
        assertThat(now).isGreaterThan(seen);
        assertThat(await(store.suspend(new Suspension("run_s", 1, null, now, T0, null))))
                .isTrue();
        StoredRun suspended = store.findRun("run_s").orElseThrow();
        assertThat(suspended.suspended()).isTrue();
        assertThat(suspended.owner()).isNull();
        assertThat(await(store.claim("node-b", T0.plusSeconds(1), 10, LEASE)))
                .as("nothing wakes it")
                .isEmpty();

        await(store.appendInbox("run_s", "again", "{}", T0.plusSeconds(2)));
        assertThat(await(store.claim("node-b", T0.plusSeconds(3), 10, LEASE)))
                .as("the event woke it: the same attempt resumes")
                .containsExactly(new Claim("run_s", 1, true));
    }

    @Test
    void anEventSentToAContinuedRunFollowsTheLinks() {
        create(store, "run_1", "node-a");
        await(store.appendInbox("run_1", "early", "{\"n\":1}", T0));
        assertThat(await(store.continueAsNew(new Continuation("run_1", 1, "run_2", "{}", Set.of(), T0))))
                .isTrue();

        SendOutcome second = await(store.appendInbox("run_1", "late", "{\"n\":2}", T0));
        assertThat(second).isEqualTo(new SendOutcome("run_2", 2, true, false));
        assertThat(store.inbox("run_2", 0)).extracting(InboxEvent::name).containsExactly("early", "late");
        assertThat(store.findRun("run_1").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);

        assertThat(await(store.claim("node-a", T0, 10, LEASE))).containsExactly(new Claim("run_2", 1, false));
        assertThat(await(store.continueAsNew(new Continuation("run_2", 1, "run_3", "{}", Set.of(1L, 2L), T0))))
                .isTrue();
        SendOutcome third = await(store.appendInbox("run_1", "later", "{}", T0));
        assertThat(third).as("two links followed").isEqualTo(new SendOutcome("run_3", 1, true, false));
        assertThat(store.inbox("run_3", 0)).extracting(InboxEvent::name).containsExactly("later");

        assertThat(await(store.finishRun(end("run_3", 0, null, false))).ended())
                .as("cancelled while queued")
                .isTrue();
        assertThat(await(store.appendInbox("run_1", "too late", "{}", T0)))
                .isEqualTo(new SendOutcome("run_1", 0, true, true));
        assertThat(await(store.appendInbox("run_nobody", "x", "{}", T0)))
                .isEqualTo(new SendOutcome("run_nobody", 0, false, false));
    }

    @Test
    void concurrentClaimsNeverHandOneAttemptToTwoNodes() throws Exception {
        int runs = 120;
        List<java.util.concurrent.CompletableFuture<String>> created = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            created.add(store.createRun(new NewRun("run_c" + i, "workflow", "w", "{}", T0, null, null)));
        }
        created.forEach(java.util.concurrent.CompletableFuture::join);
        List<RunStore> nodes = List.of(store, node(), node(), node());
        try {
            // first every run is claimed once; then every lease has expired and each is taken over once more
            Map<String, String> first = claimAll(nodes, T0, T0.plusSeconds(5), runs);
            assertThat(first.keySet()).allMatch(k -> k.endsWith("#1"));
            Map<String, String> second = claimAll(nodes, T0.plusSeconds(6), T0.plusSeconds(60), runs);
            assertThat(second.keySet()).allMatch(k -> k.endsWith("#2"));
            for (int i = 0; i < runs; i += 17) {
                assertThat(store.attempts("run_c" + i))
                        .extracting(a -> a.attempt() + ":" + a.outcome())
                        .containsExactly("1:abandoned", "2:null");
            }
        } finally {
            for (RunStore node : nodes) if (node != store) node.close();
        }
    }

    /** Claims from every node at once until nothing is due; each run's attempt to exactly one node. */
    private Map<String, String> claimAll(List<RunStore> nodes, Instant now, Instant leaseUntil, int runs)
            throws InterruptedException {
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < nodes.size() * 2; n++) {
            RunStore node = nodes.get(n % nodes.size());
            String name = "node-" + n;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                // bounded: a run handed out again and again must not keep the test running
                for (int pass = 0; pass < runs; pass++) {
                    List<Claim> claims = await(node.claim(name, now, 3, leaseUntil));
                    if (claims.isEmpty()) return;
                    for (Claim c : claims) {
                        if (claimedBy.putIfAbsent(c.runId() + "#" + c.attempt(), name) != null)
                            duplicates.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) t.join(60_000);
        assertThat(duplicates).as("attempts handed to two nodes").hasValue(0);
        assertThat(claimedBy).hasSize(runs);
        return claimedBy;
    }

    /**
     * The steps of many runs read together are each run's own, in order, with every input made whole from that run's
     * earlier steps (a conversation's step stores what it appends to the one before); a run without steps has none.
     */
    @Test
    void stepStartsOfManyRunsReadTogetherAreEachRunsOwn() {
        List<String> runs = List.of("run_t2", "run_t0", "run_t1");
        for (String runId : runs) create(store, runId, "node-a");
        startStep("run_t1", 1, 1);
        startStep("run_t1", 1, 2);
        startStep("run_t1", 2, 2);
        for (int attempt = 1; attempt <= 3; attempt++) startStep("run_t2", 1, attempt);
        // another event of a step is not a start
        await(store.appendHistory("run_t1", HistoryEventType.STEP_COMPLETED, T0, 2, 2, null));

        Map<String, Map<Integer, Integer>> together = store.stepStartsOf(runs);

        assertThat(together)
                .isEqualTo(Map.of("run_t0", Map.of(), "run_t1", Map.of(1, 2, 2, 1), "run_t2", Map.of(1, 3)));
        for (String runId : runs)
            assertThat(together.get(runId))
                    .as(runId)
                    .isEqualTo(store.stepStartsOf(List.of(runId)).get(runId));
    }

    private void startStep(String runId, int seq, int runAttempt) {
        await(store.appendHistory(
                runId,
                HistoryEventType.STEP_STARTED,
                T0,
                runAttempt,
                seq,
                NODES.objectNode().put("name", "s" + seq).put("attempt", runAttempt)));
    }

    @Test
    void stepsOfManyRunsReadTogetherAreEachRunsOwnWithWholeInputs() {
        List<String> runs = List.of("run_s2", "run_s1", "run_s0", "run_s3");
        for (String runId : runs) create(store, runId, "node-a");
        for (int r = 1; r <= 3; r++) {
            String runId = "run_s" + r;
            StepInputText.InputBase base = null;
            for (int seq = 1; seq <= r + 1; seq++) {
                var input = NODES.objectNode();
                var messages = input.putArray("messages");
                for (int m = 1; m <= seq; m++) messages.add(runId + " message " + m);
                StepRecord step = new StepRecord(
                        runId,
                        seq,
                        "chat",
                        StepKind.FUNCTION,
                        StepRecord.COMPLETED,
                        input,
                        NODES.objectNode().put("seq", seq),
                        null,
                        1,
                        T0,
                        T0,
                        1);
                Checkpoint checkpoint = new Checkpoint(step, HistoryEventType.STEP_COMPLETED, null);
                assertThat(await(store.recordStep(base == null ? checkpoint : checkpoint.storedAgainst(base))))
                        .isTrue();
                base = new StepInputText.InputBase(seq, input);
            }
        }

        Map<String, List<StepRecord>> together = store.stepsOf(runs);

        assertThat(together).containsOnlyKeys(runs);
        assertThat(together.get("run_s0")).isEmpty();
        for (int r = 1; r <= 3; r++) {
            String runId = "run_s" + r;
            assertThat(together.get(runId))
                    .as(runId)
                    .isEqualTo(store.steps(runId))
                    .hasSize(r + 1);
            assertThat(together.get(runId).getLast().input().get("messages"))
                    .as("the last input of %s, made whole", runId)
                    .hasSize(r + 1)
                    .allSatisfy(m -> assertThat(m.asText()).startsWith(runId + " message "));
        }
    }

    /**
     * A step's start that rides with its completion's checkpoint is one history row on either store
     * ({@link StepStartFold}), read back as both events from every cursor and counted as the step's start. Five steps:
     * a start whose lazy write left before its checkpoint came keeps its own row, so at least one must have folded.
     */
    @Test
    void aStepsStartWrittenWithItsCompletionIsOneRowReadBackAsBothEvents() throws Exception {
        create(store, "run_fold", "node-a");
        for (int seq = 1; seq <= 5; seq++) {
            Instant at = T0.plusSeconds(seq);
            var startData = NODES.objectNode().put("name", "s" + seq).put("attempt", 1);
            QueuedEvent start =
                    store.appendOwnedHistory("run_fold", 1, HistoryEventType.STEP_STARTED, at, seq, startData);
            StepRecord done = step("run_fold", seq, 1, at, at.plusMillis(5));
            var doneData = startData.deepCopy().put("durationMs", 5);
            assertThat(await(store.recordStep(new Checkpoint(done, HistoryEventType.STEP_COMPLETED, doneData, start))))
                    .isTrue();
        }

        List<HistoryEvent> all = store.history("run_fold", 0, 100);
        assertThat(all).hasSize(12);
        for (int seq = 1; seq <= 5; seq++) {
            Instant at = T0.plusSeconds(seq);
            var startData = NODES.objectNode().put("name", "s" + seq).put("attempt", 1);
            assertThat(all.get(2 * seq))
                    .isEqualTo(new HistoryEvent(
                            "run_fold", 2L * seq + 1, HistoryEventType.STEP_STARTED, at, 1, seq, startData));
            assertThat(all.get(2 * seq + 1))
                    .isEqualTo(new HistoryEvent(
                            "run_fold",
                            2L * seq + 2,
                            HistoryEventType.STEP_COMPLETED,
                            at.plusMillis(5),
                            1,
                            seq,
                            startData.deepCopy().put("durationMs", 5)));
        }
        for (int after = 0; after < all.size(); after++) {
            assertThat(store.history("run_fold", after, 1))
                    .as("after %d", after)
                    .containsExactly(all.get(after));
        }
        assertThat(store.stepStartsOf(List.of("run_fold")).get("run_fold"))
                .isEqualTo(Map.of(1, 1, 2, 1, 3, 1, 4, 1, 5, 1));
        try (java.sql.Connection c = database();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM history WHERE run_id = 'run_fold'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("history rows, some starts folded").isLessThan(12);
        }
    }

    @Test
    void aCheckpointWritesTheStepsQueuedStartedEventFirstAndUpdatesItsRow() {
        create(store, "run_p", "node-a");
        QueuedEvent started = store.appendOwnedHistory("run_p", 1, HistoryEventType.STEP_STARTED, T0, 1, null);
        StepRecord waiting = new StepRecord(
                "run_p", 1, "s1", StepKind.FUNCTION, StepRecord.WAITING, null, null, null, 1, T0, null, 1);
        assertThat(await(store.recordStep(new Checkpoint(
                        waiting,
                        HistoryEventType.TIMER_STARTED,
                        null,
                        started,
                        WaitChange.begin("sleep", T0),
                        null,
                        null))))
                .isTrue();
        assertThat(store.findRun("run_p").orElseThrow().waiting().waitingOn()).isEqualTo("sleep");
        assertThat(await(store.recordStep(new Checkpoint(
                        step("run_p", 1, 1), HistoryEventType.STEP_COMPLETED, null, WaitChange.end(T0)))))
                .isTrue();

        assertThat(store.steps("run_p")).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StepRecord.COMPLETED);
            assertThat(s.output()).isEqualTo(NODES.objectNode().put("done", true));
        });
        assertThat(store.findRun("run_p").orElseThrow().waiting().waitingOn()).isNull();
        assertThat(history("run_p"))
                .containsExactly(
                        HistoryEventType.RUN_CREATED,
                        HistoryEventType.ATTEMPT_STARTED,
                        HistoryEventType.STEP_STARTED,
                        HistoryEventType.TIMER_STARTED,
                        HistoryEventType.STEP_COMPLETED);
    }

    @Test
    void aCheckpointFollowedByTheNextStepsStartWritesBothInOrderOnlyWhileOwned() {
        create(store, "run_f", "node-a");
        QueuedEvent started = store.appendOwnedHistory("run_f", 1, HistoryEventType.STEP_STARTED, T0, 1, null);
        Checkpoint first = new Checkpoint(step("run_f", 1, 1), HistoryEventType.STEP_COMPLETED, null, started)
                .followedBy(
                        HistoryEventType.STEP_STARTED, T0, 2, NODES.objectNode().put("name", "s2"));
        assertThat(await(store.recordStep(first))).isTrue();

        assertThat(history("run_f"))
                .containsExactly(
                        HistoryEventType.RUN_CREATED,
                        HistoryEventType.ATTEMPT_STARTED,
                        HistoryEventType.STEP_STARTED,
                        HistoryEventType.STEP_COMPLETED,
                        HistoryEventType.STEP_STARTED);
        assertThat(store.history("run_f", 0, 100).getLast().stepSeq()).isEqualTo(2);
        // attempt 2 does not own the run: neither the checkpoint nor the next start is written
        Checkpoint stale = new Checkpoint(step("run_f", 2, 2), HistoryEventType.STEP_COMPLETED, null)
                .followedBy(HistoryEventType.STEP_STARTED, T0, 3, null);
        assertThat(await(store.recordStep(stale))).isFalse();
        assertThat(history("run_f")).hasSize(5);
    }

    /** Also when the executor says, wrongly, that the end wakes nobody: the store checks before ending it alone. */
    @org.junit.jupiter.params.ParameterizedTest(name = "said to wake nobody: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRunsEndWakesItsParentAndCancelsItsChildren(boolean saidToWakeNobody) {
        create(store, "run_parent", "node-a");
        NewRun child = new NewRun(
                "run_kid",
                "workflow",
                "w",
                "{}",
                T0,
                null,
                null,
                RunOptions.none(),
                new RunLinks("run_parent", null, null, null));
        assertThat(await(store.startChild(step("run_parent", 1, 1), child))).isTrue();
        long before = store.signals("run_parent").orElseThrow().signalSeq();
        assertThat(await(store.claim("node-a", T0, 10, LEASE))).containsExactly(new Claim("run_kid", 1, false));
        assertThat(await(store.finishRun(end("run_kid", 1, null, saidToWakeNobody)))
                        .ended())
                .isTrue();
        assertThat(store.signals("run_parent").orElseThrow().signalSeq())
                .as("parent woken")
                .isGreaterThan(before);

        NewRun second = new NewRun(
                "run_kid2",
                "workflow",
                "w",
                "{}",
                T0,
                null,
                null,
                RunOptions.none(),
                new RunLinks("run_parent", null, null, null));
        assertThat(await(store.startChild(step("run_parent", 2, 1), second))).isTrue();
        Checkpoint last = new Checkpoint(step("run_parent", 3, 1), HistoryEventType.STEP_COMPLETED, null);
        FinishedRun parentEnd = await(store.finishRun(end("run_parent", 1, last, saidToWakeNobody)));
        assertThat(parentEnd.ended()).isTrue();
        assertEndedAsRead(parentEnd, "run_parent", true);
        assertThat(store.findRun("run_kid2").orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(store.steps("run_parent")).extracting(StepRecord::seq).containsExactly(1, 2, 3);
    }

    @Test
    void anIdempotencyKeyGivesBackTheRunThatHoldsIt() {
        RunOptions keyed = RunOptions.none().withIdempotencyKey("k1");
        String first = await(store.createRun(
                new NewRun("run_k1", "workflow", "w", "{}", T0, "node-a", LEASE, keyed, RunLinks.NONE)));
        String again = await(
                store.createRun(new NewRun("run_k2", "workflow", "w", "{}", T0, null, null, keyed, RunLinks.NONE)));
        assertThat(List.of(first, again)).containsExactly("run_k1", "run_k1");
        assertThat(store.findRun("run_k2")).isEmpty();
    }

    @Test
    void aRunsSnapshotsAreStoredOnceAndItsRowHoldsTheirReferences() throws Exception {
        var profile = NODES.objectNode().put("leaseMs", 2_000L).put("definition", "w");
        var policy = NODES.objectNode().set("retryPolicy", NODES.objectNode().put("maxAttempts", 3));
        var release = new dev.tern.engine.RunRelease("rev1", "default", profile, policy);
        // the same texts in other trees (as another process would make them), and a second profile
        var again = new dev.tern.engine.RunRelease("rev1", "default", profile.deepCopy(), policy.deepCopy());
        var otherProfile = NODES.objectNode().put("leaseMs", 5_000L).put("definition", "w");
        var other = new dev.tern.engine.RunRelease("rev2", "default", otherProfile, policy.deepCopy());
        // a policy that names one run (its idempotency key) stays whole in the run's row
        var oneRun = new dev.tern.engine.RunRelease(
                "rev1",
                "default",
                profile,
                ((com.fasterxml.jackson.databind.node.ObjectNode) policy.deepCopy()).put("idempotencyKey", "k-1"));
        List<dev.tern.engine.RunRelease> releases = List.of(release, release, again, other, oneRun);
        for (int i = 0; i < releases.size(); i++) {
            String id = i < 4 ? "run_snap" + i : "run_one";
            NewRun run = new NewRun(id, "workflow", "w", "{}", T0, null, null).withRelease(releases.get(i));
            assertThat(await(store.createRun(run))).isEqualTo(run.id());
        }
        try (java.sql.Connection c = database();
                var s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT count(*) FROM run_snapshots")) {
                rs.next();
                assertThat(rs.getInt(1)).as("two profiles and one policy").isEqualTo(3);
            }
            List<String> refs = new ArrayList<>();
            try (var rs = s.executeQuery(
                    "SELECT execution_profile, run_policy FROM runs WHERE id LIKE 'run_snap%' ORDER BY id")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).startsWith("sha256-").hasSize(29);
                    assertThat(rs.getString(2)).startsWith("sha256-").hasSize(29);
                    refs.add(rs.getString(1));
                }
            }
            assertThat(refs).hasSize(4);
            assertThat(refs.subList(0, 3)).containsOnly(refs.get(0));
            assertThat(refs.get(3)).isNotEqualTo(refs.get(0));
            try (var rs = s.executeQuery("SELECT execution_profile, run_policy FROM runs WHERE id = 'run_one'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(refs.get(0));
                assertThat(rs.getString(2)).startsWith("{").contains("\"idempotencyKey\":\"k-1\"");
            }
        }
        for (int i = 0; i < releases.size(); i++) {
            var read = store.findRun(i < 4 ? "run_snap" + i : "run_one")
                    .orElseThrow()
                    .release();
            assertThat(read.executionProfile().toString())
                    .isEqualTo(releases.get(i).executionProfile().toString());
            assertThat(read.runPolicy().toString())
                    .isEqualTo(releases.get(i).runPolicy().toString());
        }
    }

    @Test
    void aRowHoldingASnapshotsTextOrAReferenceNotReadBeforeReadsAsTheSnapshot() throws Exception {
        var release = new dev.tern.engine.RunRelease(
                "rev1",
                "default",
                NODES.objectNode().put("leaseMs", 1L),
                NODES.objectNode().put("p", 1));
        for (String id : List.of("run_text", "run_ref")) {
            await(store.createRun(new NewRun(id, "workflow", "w", "{}", T0, null, null).withRelease(release)));
        }
        // a row written before snapshots were stored once, and one whose snapshot this process has never read
        String unseen = "{\"unseen\":\"" + java.util.UUID.randomUUID() + "\"}";
        String ref = SnapshotTexts.refOf(unseen);
        store.close(); // an embedded store's writer holds the database's write lock while open
        try (java.sql.Connection c = database();
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE runs SET execution_profile = '{\"legacy\":true}' WHERE id = 'run_text'");
            s.executeUpdate("INSERT INTO run_snapshots (id, body) VALUES ('" + ref + "', '" + unseen + "')");
            s.executeUpdate("UPDATE runs SET execution_profile = '" + ref + "' WHERE id = 'run_ref'");
        }
        store = open();
        assertThat(store.findRun("run_text").orElseThrow().release().executionProfile())
                .isEqualTo(NODES.objectNode().put("legacy", true));
        assertThat(store.findRun("run_ref")
                        .orElseThrow()
                        .release()
                        .executionProfile()
                        .toString())
                .isEqualTo(unseen);
        assertThat(store.findRun("run_ref").orElseThrow().release().runPolicy())
                .isEqualTo(NODES.objectNode().put("p", 1));
    }

    @Test
    void aRunWhoseRowHoldsItsSnapshotsTextContinuesIntoARunHoldingItsReference() throws Exception {
        String text = "{\"definition\":\"w\",\"unique\":\"" + java.util.UUID.randomUUID() + "\"}";
        var release = new dev.tern.engine.RunRelease(
                "rev1", "default", (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(text), null);
        assertThat(await(store.createRun(
                        new NewRun("run_legacy", "agent", "w", "{}", T0, "node-a", LEASE).withRelease(release))))
                .isEqualTo("run_legacy");
        // as a run written before snapshots were stored once: its text in its row, no row of its own
        String ref = SnapshotTexts.refOf(text);
        store.close();
        try (java.sql.Connection c = database();
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE runs SET execution_profile = '" + text + "' WHERE id = 'run_legacy'");
            s.executeUpdate("DELETE FROM run_snapshots WHERE id = '" + ref + "'");
        }
        store = open();
        assertThat(await(store.continueAsNew(new Continuation("run_legacy", 1, "run_cont", "{}", Set.of(), T0))))
                .isTrue();
        try (java.sql.Connection c = database();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT r.execution_profile, n.body FROM runs r "
                        + "JOIN run_snapshots n ON n.id = r.execution_profile WHERE r.id = 'run_cont'")) {
            assertThat(rs.next())
                    .as("the continuation's reference and the text it names")
                    .isTrue();
            assertThat(rs.getString(1)).isEqualTo(ref);
            assertThat(rs.getString(2)).isEqualTo(text);
        }
        assertThat(store.findRun("run_cont")
                        .orElseThrow()
                        .release()
                        .executionProfile()
                        .toString())
                .isEqualTo(text);
    }

    @Test
    void aNewRunIsWhatItsCreatorWasToldItIs() {
        Instant atMicros = T0.plusNanos(123_456_789); // finer than the store keeps
        var release = new dev.tern.engine.RunRelease(
                "rev1",
                "canary",
                NODES.objectNode().put("leaseMs", 2_000L).put("ratio", 0.5).put("definition", "w"),
                NODES.objectNode().set("retryPolicy", NODES.objectNode().put("maxAttempts", 3)));
        RunOptions options = RunOptions.none()
                .withIdempotencyKey("key-1")
                .withDeadline(atMicros.plusSeconds(60))
                .withThreadId("thread-1")
                .withWebhookUrl("http://127.0.0.1:9/hook")
                .withBudget(dev.tern.sdk.Budget.ofUsd(1.5))
                .withModel(new dev.tern.sdk.ModelChoice("gpt-x", 0.2, 100))
                .withOrg("acme");
        NewRun owned = new NewRun(
                        "run_new_owned",
                        "workflow",
                        "w",
                        "{\"n\":1,\"xs\":[1.0,2]}",
                        atMicros,
                        "node-a",
                        LEASE,
                        options,
                        new RunLinks("run_parent_x", null, null, null, "00-abc-def-01", null))
                .withRelease(release);
        NewRun queued = new NewRun("run_new_queued", "agent", "a", "{}", atMicros, null, null);
        for (NewRun run : List.of(owned, queued)) {
            assertThat(await(store.createRun(run))).isEqualTo(run.id());
            assertThat(run.inserted()).isEqualTo(store.findRun(run.id()).orElseThrow());
            assertThat(run.inserted().toRecord())
                    .isEqualTo(store.findRun(run.id()).orElseThrow().toRecord());
        }
    }

    @Test
    void renewalKeepsEveryRunTheNodeExecutesWhicheverWriterWritesIt() {
        // ids ending in digits, capitals and small letters, odd and even: on PostgreSQL they are written by different
        // writer lanes, and each lane renews its own
        List<String> mine = List.of("run_lane0", "run_lane1", "run_laneA", "run_laneB", "run_lanea", "run_laneb");
        for (String id : mine) create(store, id, "node-a");
        create(store, "run_lane_other", "node-b");
        Instant later = LEASE.plusSeconds(60);

        assertThat(await(store.renewLeases("node-a", T0.plusSeconds(5), later)))
                .extracting(OwnedRun::runId)
                .containsExactlyInAnyOrderElementsOf(mine);
        assertThat(await(store.claim("node-c", LEASE.plusSeconds(1), 100, later)))
                .as("only the run whose lease was not renewed is due")
                .extracting(Claim::runId)
                .containsExactly("run_lane_other");
        assertThat(await(store.releaseRuns("node-a", mine, LEASE.plusSeconds(2))))
                .isEqualTo(mine.size());
        assertThat(await(store.renewLeases("node-a", LEASE.plusSeconds(3), later)))
                .isEmpty();
    }

    static void create(RunStore store, String runId, String owner) {
        assertThat(await(store.createRun(new NewRun(runId, "agent", "w", "{}", T0, owner, LEASE))))
                .isEqualTo(runId);
    }

    static StepRecord step(String runId, int seq, int attempt) {
        return step(runId, seq, attempt, T0, T0);
    }

    /** Step {@code seq} of the run completed in run attempt {@code attempt}, first try, started and completed then. */
    static StepRecord step(String runId, int seq, int attempt, Instant started, Instant completed) {
        return new StepRecord(
                runId,
                seq,
                "s" + seq,
                StepKind.FUNCTION,
                StepRecord.COMPLETED,
                NODES.objectNode(),
                NODES.objectNode().put("done", true),
                null,
                1,
                started,
                completed,
                attempt);
    }

    static RunEnd end(String runId, int attempt, Checkpoint last, boolean wakesNobody) {
        return new RunEnd(
                runId,
                attempt,
                attempt == 0 ? RunStatus.CANCELLED : RunStatus.COMPLETED,
                "{}",
                null,
                T0,
                last,
                wakesNobody,
                null);
    }

    List<HistoryEventType> history(String runId) {
        return store.history(runId, 0, 100).stream().map(HistoryEvent::type).toList();
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return Futures.await(future);
    }
}
