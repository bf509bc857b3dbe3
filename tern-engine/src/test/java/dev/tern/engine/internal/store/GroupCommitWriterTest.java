package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

/**
 * The group-commit writer on its own, over a one-table database: who commits a write (the submitting thread or the
 * writer's), how (a batch's transaction, or alone in autocommit), and what a failing write does to the others in its
 * batch.
 */
@ParameterizedClass
@EnumSource(GroupCommitWriterTest.Database.class)
class GroupCommitWriterTest {
    enum Database {
        SQLITE,
        POSTGRESQL
    }

    static final String WRITER = "test-writer";

    @Parameter
    Database database;

    @TempDir
    Path dir;

    GroupCommitWriter.ConnectionSource connections;
    String schema;
    GroupCommitWriter writer;

    @BeforeEach
    void createTable() throws SQLException {
        if (database == Database.SQLITE) {
            SQLiteDataSource sqlite = new SQLiteDataSource();
            sqlite.setUrl("jdbc:sqlite:" + dir.resolve("writer.db"));
            connections = sqlite::getConnection;
        } else {
            schema = PostgresTestDatabase.newSchema();
            String url = PostgresTestDatabase.url(schema);
            connections = () -> DriverManager.getConnection(url);
        }
        try (Connection c = connections.open();
                Statement s = c.createStatement()) {
            if (schema != null) s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + (schema != null ? schema + "." : "") + "items (k TEXT PRIMARY KEY, v BIGINT)");
        }
    }

    @AfterEach
    void dropTable() {
        if (writer != null) writer.close();
        if (schema != null) PostgresTestDatabase.drop(schema);
    }

    @Test
    void aFailingWriteInABatchFailsAloneAndTheOthersStillCommit() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        Gate gate = new Gate();
        CompletableFuture<Integer> first = writer.submit(gate.holding("gate"));
        gate.awaitEntered();
        // queued while the writer commits the gate: the next batch is these five, one of which fails
        List<AtomicInteger> applied = new ArrayList<>();
        List<CompletableFuture<Integer>> batch = new ArrayList<>();
        for (String key : List.of("a", "b", "gate", "c", "d")) {
            AtomicInteger times = new AtomicInteger();
            applied.add(times);
            batch.add(writer.submit(tx -> {
                times.incrementAndGet();
                return insert(tx, key);
            }));
        }
        gate.release();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (int i : new int[] {0, 1, 3, 4})
            assertThat(batch.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> Futures.await(batch.get(2))).isInstanceOf(StoreException.class);
        assertThat(keys()).containsExactlyInAnyOrder("gate", "a", "b", "c", "d");
        // the batch ran up to the failing write and was rolled back; then each write had a transaction of its own
        assertThat(applied).extracting(AtomicInteger::get).containsExactly(2, 2, 2, 1, 1);
        assertThat(writer.counters()[0]).as("writes committed").isEqualTo(5);
    }

    @Test
    void aPlatformThreadCommitsItsOwnWriteWhenNoBatchIsCommitting() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.PLATFORM_THREADS, false);
        AtomicReference<Thread> committer = new AtomicReference<>();
        CompletableFuture<Integer> mine = writer.submit(tx -> {
            committer.set(Thread.currentThread());
            return insert(tx, "platform");
        });
        assertThat(mine).as("committed before submit returned").isCompletedWithValue(1);
        assertThat(committer.get()).isSameAs(Thread.currentThread());

        AtomicReference<CompletableFuture<Integer>> fromVirtual = new AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> fromVirtual.set(writer.submit(tx -> {
                    committer.set(Thread.currentThread());
                    return insert(tx, "virtual");
                })))
                .join();
        assertThat(fromVirtual.get().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(committer.get().getName())
                .as("a virtual thread hands over to the writer")
                .isEqualTo(WRITER);
    }

    @Test
    void onAnEmbeddedDatabaseAnyThreadCommitsItsOwnWrite() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.ANY_THREAD, false);
        AtomicReference<Thread> committer = new AtomicReference<>();
        AtomicBoolean doneOnReturn = new AtomicBoolean();
        Thread virtual = Thread.ofVirtual()
                .start(() -> doneOnReturn.set(writer.submit(tx -> {
                            committer.set(Thread.currentThread());
                            return insert(tx, "virtual");
                        })
                        .isDone()));
        virtual.join();
        assertThat(doneOnReturn).isTrue();
        assertThat(committer.get()).isSameAs(virtual);
    }

    @Test
    void aWriteSubmittedWhileAnotherThreadCommitsIsLeftToTheCommitter() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.PLATFORM_THREADS, false);
        Gate gate = new Gate();
        Thread leader = Thread.ofPlatform().start(() -> writer.submit(gate.holding("gate")));
        gate.awaitEntered();
        AtomicReference<Thread> committer = new AtomicReference<>();
        CompletableFuture<Integer> waiting = writer.submit(tx -> {
            committer.set(Thread.currentThread());
            return insert(tx, "later");
        });
        assertThat(waiting).as("queued, not committed by the submitter").isNotDone();
        gate.release();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        leader.join();
        assertThat(committer.get()).isNotSameAs(Thread.currentThread());
        assertThat(keys()).containsExactlyInAnyOrder("gate", "later");
    }

    @Test
    void aLoneOneStatementWriteCommitsItselfAndInABatchSharesTheTransaction() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        CompletableFuture<Boolean> alone = writer.submit(Write.of(Write.Commit.ONE_STATEMENT, tx -> {
            insert(tx, "alone");
            return tx.connection().getAutoCommit();
        }));
        assertThat(alone.get(10, TimeUnit.SECONDS)).as("autocommit").isTrue();
        assertThat(keys()).containsExactly("alone");

        Gate gate = new Gate();
        CompletableFuture<Integer> first = writer.submit(gate.holding("gate"));
        gate.awaitEntered();
        List<CompletableFuture<Boolean>> together = new ArrayList<>();
        for (String key : List.of("x", "y")) {
            together.add(writer.submit(Write.of(Write.Commit.ONE_STATEMENT, tx -> {
                insert(tx, key);
                return tx.connection().getAutoCommit();
            })));
        }
        gate.release();
        first.get(10, TimeUnit.SECONDS);
        for (var f : together)
            assertThat(f.get(10, TimeUnit.SECONDS)).as("batched").isFalse();

        CompletableFuture<Integer> failing = writer.submit(Write.of(Write.Commit.ONE_STATEMENT, tx -> insert(tx, "x")));
        assertThatThrownBy(() -> Futures.await(failing)).isInstanceOf(StoreException.class);
        assertThat(writer.submit(tx -> insert(tx, "after")).get(10, TimeUnit.SECONDS))
                .isEqualTo(1);
        assertThat(keys()).containsExactlyInAnyOrder("alone", "gate", "x", "y", "after");
    }

    @Test
    void aLazyWriteTakenOverMeanwhileIsDropped() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        AtomicBoolean takenOver = new AtomicBoolean(true);
        CompletableFuture<Integer> lazy = writer.submit(Write.lazy(tx -> insert(tx, "lazy"), takenOver::get));
        CompletableFuture<Integer> kept = writer.submit(Write.lazy(tx -> insert(tx, "kept"), () -> false));
        assertThat(lazy.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(keys()).containsExactly("kept");
    }

    @Test
    void aWriteWaitingForCompanyCommitsWithTheNextWriteOrAloneWhenNoneComes() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        long linger = TimeUnit.SECONDS.toNanos(5);
        CompletableFuture<Integer> waiting =
                writer.submit(Write.batched(tx -> insert(tx, "waiting")).waitingForCompany(linger));
        Thread.sleep(100);
        assertThat(waiting).as("still waiting for company").isNotDone();
        CompletableFuture<Integer> company = writer.submit(tx -> insert(tx, "company"));
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(company.get(2, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(writer.counters()).as("writes, transactions").containsExactly(2, 1);

        long shortLinger = TimeUnit.MILLISECONDS.toNanos(20);
        CompletableFuture<Integer> alone =
                writer.submit(Write.batched(tx -> insert(tx, "alone")).waitingForCompany(shortLinger));
        assertThat(alone.get(2, TimeUnit.SECONDS))
                .as("committed once its wait is over")
                .isEqualTo(1);

        // a write with a short wait queued behind one with a long wait: both go when the short wait is over
        CompletableFuture<Integer> patient =
                writer.submit(Write.batched(tx -> insert(tx, "patient")).waitingForCompany(linger));
        CompletableFuture<Integer> hasty =
                writer.submit(Write.batched(tx -> insert(tx, "hasty")).waitingForCompany(shortLinger));
        assertThat(hasty.get(2, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(patient.get(2, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(keys()).containsExactlyInAnyOrder("waiting", "company", "alone", "patient", "hasty");
    }

    @Test
    void aBatchSendsItsPipelinedStatementsTogetherKeepingEachRunsOrder() throws Exception {
        List<String> executions = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupCommitWriter.ConnectionSource counted = () -> recording(connections.open(), executions);
        writer = new GroupCommitWriter(counted, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        Gate gate = new Gate();
        CompletableFuture<Integer> first = writer.submit(gate.holding("gate"));
        gate.awaitEntered();
        executions.clear();
        List<CompletableFuture<String>> batch = new ArrayList<>();
        batch.add(writer.submit(pipelined("run-1", "a")));
        batch.add(writer.submit(pipelined("run-2", "b")));
        batch.add(writer.submit(pipelined("run-3", "gate"))); // its key is taken: writes nothing, its work decides
        batch.add(writer.submit(Write.batched(tx -> insert(tx, "c") + " by its work")));
        batch.add(writer.submit(pipelined("run-1", "d")));
        batch.add(writer.submit(pipelined("run-1", "e"))); // the same run again: after d, not with it
        gate.release();
        first.get(10, TimeUnit.SECONDS);

        List<String> results = new ArrayList<>();
        for (var f : batch) results.add(f.get(10, TimeUnit.SECONDS));
        assertThat(results).containsExactly("a", "b", "taken: nothing written", "1 by its work", "d", "e");
        assertThat(keys()).containsExactlyInAnyOrder("gate", "a", "b", "c", "d", "e");
        // the gate's commit; a, b and the refused insert in one round trip; the plain write, then d and e one at a time
        assertThat(executions).containsExactly("commit", "batch of 3", "update", "update", "update", "commit");
    }

    @Test
    void aLargeBatchCompletesOffTheCommittingThreadAndBatchesCompleteInTheOrderTheyCommitted() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        Gate gate = new Gate();
        CompletableFuture<Integer> first = writer.submit(gate.holding("gate"));
        gate.awaitEntered();
        List<CompletableFuture<Integer>> large = submitLargeBatch("large", false);
        // the first of the large batch's futures holds whichever thread completes it
        CountDownLatch holding = new CountDownLatch(1);
        AtomicReference<Thread> completing = new AtomicReference<>();
        List<String> completed = java.util.Collections.synchronizedList(new ArrayList<>());
        large.get(0).thenRun(() -> {
            completing.set(Thread.currentThread());
            hold(holding);
            completed.add("large");
        });
        gate.release();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> keys().size() == 1 + large.size());

        // a write alone, committed while the large batch's completion is held, completes only after it
        CompletableFuture<Integer> alone = writer.submit(tx -> insert(tx, "alone"));
        alone.thenRun(() -> completed.add("alone"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> keys().contains("alone"));
        Thread.sleep(50);
        assertThat(alone).as("committed, not yet completed").isNotDone();
        holding.countDown();
        assertThat(alone.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (var f : large) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(completed).containsExactly("large", "alone");
        assertThat(completing.get().getName()).isEqualTo(WRITER + "-completions");
        assertThat(completing.get().isVirtual()).isTrue();
    }

    @Test
    void batchesHandedOverStillCompleteAfterAListenerFailsWithAnError() throws Exception {
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        writer.listeners().onHistory(runs -> {
            throw new AssertionError("a listener broken beyond an exception");
        });
        Gate first = new Gate();
        CompletableFuture<Integer> gate = writer.submit(first.holding("gate"));
        first.awaitEntered();
        List<CompletableFuture<Integer>> failing = submitLargeBatch("failing", true);
        CountDownLatch holding = new CountDownLatch(1);
        failing.get(0).thenRun(() -> hold(holding));
        first.release();
        assertThat(gate.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        // a second batch handed over behind the first, whose listener will fail
        Gate second = new Gate();
        CompletableFuture<Integer> gate2 = writer.submit(second.holding("gate2"));
        second.awaitEntered();
        List<CompletableFuture<Integer>> behind = submitLargeBatch("behind", false);
        second.release();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> keys().size() == 2 + failing.size() + behind.size());
        holding.countDown();

        assertThat(gate2.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (var f : failing) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (var f : behind) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    /**
     * Submits one more insert than a batch the committer completes itself ({@code prefix-0}, ...), each saying it grew
     * a run's history when {@code historyGrows}; queued behind a gate, they commit as one batch.
     */
    private List<CompletableFuture<Integer>> submitLargeBatch(String prefix, boolean historyGrows) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i <= CommitCompletions.DIRECT_AT_MOST; i++) {
            String key = prefix + "-" + i;
            futures.add(writer.submit(tx -> {
                if (historyGrows) tx.historyChanged("run-" + key);
                return insert(tx, key);
            }));
        }
        return futures;
    }

    /** Holds the calling thread (a completion's callback) until {@code latch} opens, ten seconds at most. */
    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A pipelined insert of {@code key} for {@code runId}: its result is the key, or its work's when it was taken. */
    private Write<String> pipelined(String runId, String key) {
        String sql = "INSERT INTO items (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING";
        return Write.of(Write.Commit.ONE_STATEMENT, tx -> "taken: nothing written")
                .pipelined(new Pipelined<>(runId, sql, new Object[] {key, 1}, key, null));
    }

    /** The connection, noting each execution and commit it is asked for. */
    static Connection recording(Connection real, List<String> executions) {
        return proxy(Connection.class, real, (method, args) -> {
            if (method.getName().equals("commit")) executions.add("commit");
            if (!method.getName().equals("prepareStatement")) return null;
            java.sql.PreparedStatement ps = (java.sql.PreparedStatement) method.invoke(real, args);
            AtomicInteger added = new AtomicInteger();
            return proxy(java.sql.PreparedStatement.class, ps, (m, a) -> {
                switch (m.getName()) {
                    case "addBatch" -> added.incrementAndGet();
                    case "executeBatch" -> executions.add("batch of " + added.getAndSet(0));
                    case "executeUpdate" -> executions.add("update");
                    case "executeQuery" -> executions.add("query");
                    default -> {}
                }
                return null;
            });
        });
    }

    /** What a recording proxy does before (or instead of, when it returns a value) passing a call on. */
    interface Noting {
        Object note(java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    static <T> T proxy(Class<T> type, T real, Noting noting) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
                    Object replaced = noting.note(method, args);
                    if (replaced != null) return replaced;
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    /** A write that holds the writer inside its transaction until released, so that others queue behind it. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        Write.Work<Integer> holding(String key) {
            return tx -> {
                int inserted = insert(tx, key);
                entered.countDown();
                try {
                    released.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inserted;
            };
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    @Test
    void aWriteAbortedToBreakADeadlockWithAnotherWriterIsTriedAgain() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(database == Database.POSTGRESQL, "SQLite has one writer");
        writer = new GroupCommitWriter(connections, 1024, WRITER, GroupCommitWriter.Leaders.NONE, false);
        try (GroupCommitWriter other =
                new GroupCommitWriter(connections, 1024, WRITER + "-2", GroupCommitWriter.Leaders.NONE, false)) {
            writer.submit(tx -> insert(tx, "p") + insert(tx, "q")).get(10, TimeUnit.SECONDS);
            // each locks one row, waits until the other has locked the other row, then wants it: a deadlock, which
            // the server breaks by aborting one of them
            CountDownLatch locked = new CountDownLatch(2);
            AtomicInteger tries = new AtomicInteger();
            CompletableFuture<Integer> pq = writer.submit(tx -> crossing(tx, "p", "q", locked, tries));
            CompletableFuture<Integer> qp = other.submit(tx -> crossing(tx, "q", "p", locked, tries));
            assertThat(pq.get(3, TimeUnit.MINUTES)).isEqualTo(1);
            assertThat(qp.get(3, TimeUnit.MINUTES)).isEqualTo(1);
            assertThat(tries.get())
                    .as("one of the two was aborted and tried again")
                    .isEqualTo(3);
            assertThat(values()).containsEntry("p", 3L).containsEntry("q", 3L);
            assertThat(writer.health().failing()).isNull();
            assertThat(other.health().failing()).isNull();
        }
    }

    private static int crossing(Tx tx, String first, String second, CountDownLatch locked, AtomicInteger tries)
            throws SQLException {
        tries.incrementAndGet();
        tx.update("UPDATE items SET v = v + 1 WHERE k = ?", first);
        locked.countDown();
        // the first try of each waits for the other's lock, however slow the machine (a bounded wait that ran out made
        // no deadlock and one try fewer); a try after the abort finds the latch open
        try {
            if (!locked.await(2, TimeUnit.MINUTES))
                throw new IllegalStateException("the other write did not lock its row in two minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the other write's lock", e);
        }
        return tx.update("UPDATE items SET v = v + 1 WHERE k = ?", second);
    }

    java.util.Map<String, Long> values() throws SQLException {
        try (Connection c = connections.open();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT k, v FROM items")) {
            java.util.Map<String, Long> values = new java.util.HashMap<>();
            while (rs.next()) values.put(rs.getString(1), rs.getLong(2));
            return values;
        }
    }

    static int insert(Tx tx, String key) throws SQLException {
        return tx.update("INSERT INTO items (k, v) VALUES (?, ?)", key, 1);
    }

    List<String> keys() throws SQLException {
        try (Connection c = connections.open();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT k FROM items")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) keys.add(rs.getString(1));
            return keys;
        }
    }
}
