package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.StepStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, a started run's creation and its first checkpoint in one batch are one statement; so are a started
 * run's creation and the run's end right after it ({@link WholeRun}), which writes every row the two writes would have
 * and hands the ended run back when it runs by itself; a run the statement's fence refuses is written by the two writes
 * apart.
 */
class FirstCheckpointTest extends FirstCheckpointContract {
    private final String schema = PostgresTestDatabase.newSchema();

    @BeforeEach
    void migrate() {
        store = StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    @AfterEach
    void drop() throws Exception {
        store.close();
        PostgresTestDatabase.drop(schema);
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(PostgresTestDatabase.url(schema));
    }

    @Override
    RunWrites runWrites() {
        return new PostgresRunWrites(RunAnnouncer.NONE);
    }

    @Override
    HistoryWrites historyWrites() {
        return new PostgresHistoryWrites();
    }

    @Override
    List<String> joinedThenAnother() {
        // run-a's creation with its checkpoint, then run-b's creation: two statements for three writes
        return List.of("update", "update", "commit");
    }

    @Override
    List<String> keptApart() {
        // the creation and the checkpoint each in a stretch of its own; the write between executes nothing
        return List.of("update", "update", "commit");
    }

    @Override
    List<String> joinedThenTheRunAgain() {
        // joined with the first; the second, the same run again, in a stretch of its own
        return List.of("update", "update", "commit");
    }

    private final java.time.Instant ended = now.plusMillis(3);

    @Test
    void aCreationAndTheRunsEndRightAfterItAreOneStatementWritingWhatTheTwoWould() throws Exception {
        Write<Integer> unknown = Write.batched(tx -> 0); // no run said: keeps run-b's creation and end apart
        List<Object> results = apply(List.of(creation("run-a"), ending("run-a", true)));
        List<String> joined = List.copyOf(executions);
        executions.clear();
        List<Object> apart = apply(List.of(creation("run-b"), unknown, ending("run-b", true)));

        assertThat(joined).as("one statement, answering with the run").containsExactly("query", "commit");
        assertThat(executions).as("the same two writes kept apart").hasSize(3);
        assertThat(results.get(0)).isEqualTo("run-a");
        FinishedRun finished = (FinishedRun) results.get(1);
        assertThat(finished.ended()).isTrue();
        assertThat(finished.run().id()).isEqualTo("run-a");
        assertThat(finished.run().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(apart.get(0)).isEqualTo("run-b");
        assertThat(((FinishedRun) apart.get(2)).ended()).isTrue();

        for (String table : List.of("runs", "history", "steps", "attempts")) {
            assertThat(rows(table, "run-a")).as(table).isNotEmpty().isEqualTo(rows(table, "run-b"));
        }
        List<HistoryEventType> types =
                store.history("run-a", 0, 100).stream().map(e -> e.type()).toList();
        assertThat(types).hasSize(5).startsWith(HistoryEventType.RUN_CREATED).endsWith(HistoryEventType.RUN_COMPLETED);
    }

    @Test
    void aRunEndingWithoutAStepIsJoinedToo() throws Exception {
        List<Object> results = apply(List.of(creation("run-a"), ending("run-a", false)));

        assertThat(executions).containsExactly("query", "commit");
        assertThat(((FinishedRun) results.get(1)).run().lastEventSeq()).isEqualTo(3);
        assertThat(store.steps("run-a")).isEmpty();
        assertThat(store.attempts("run-a"))
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("completed"));
    }

    @Test
    void aRunWithAParentWronglySaidToWakeNobodyIsWrittenByTheTwoWritesApart() throws Exception {
        List<Object> results = apply(List.of(
                creation("run-a", RunOptions.none(), new RunLinks("parent-run", null, null, null)),
                ending("run-a", true)));

        // the joined statement's fence refused it; the creation then ran, and the end's own statement (fenced on no
        // parent too) wrote nothing, so the end's work decided: here a marker
        assertThat(results).containsExactly("run-a", FinishedRun.NOT_ENDED);
        assertThat(executions.get(0)).isEqualTo("query");
        assertThat(store.findRun("run-a").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aWholeRunThatIsItsWritersBatchCommitsItselfInOneStatement() throws Exception {
        try (var queued = new QueuedBehindAGate()) {
            var created = queued.writer.submit(creation("run-a"));
            var end = queued.writer.submit(ending("run-a", true));
            queued.release();

            assertThat(created.get(10, TimeUnit.SECONDS)).isEqualTo("run-a");
            assertThat(end.get(10, TimeUnit.SECONDS).run().status()).isEqualTo(RunStatus.COMPLETED);
            // the gate's batch commits; the run's two writes are then one statement in autocommit mode, no COMMIT
            assertThat(executions).containsExactly("commit", "query");
        }
        assertThat(store.findRun("run-a").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(store.steps("run-a")).hasSize(1);
    }

    @Test
    void aWholeRunItsFenceRefusesIsWrittenApartInOneTransaction() throws Exception {
        try (var queued = new QueuedBehindAGate()) {
            var created = queued.writer.submit(
                    creation("run-a", RunOptions.none(), new RunLinks("parent-run", null, null, null)));
            var end = queued.writer.submit(ending("run-a", true));
            queued.release();

            assertThat(created.get(10, TimeUnit.SECONDS)).isEqualTo("run-a");
            assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(FinishedRun.NOT_ENDED);
            // refused by itself, then the batch in a transaction: the join tried again, each write apart, one COMMIT
            assertThat(executions).startsWith("commit", "query").endsWith("commit");
            assertThat(executions.subList(1, executions.size() - 1)).doesNotContain("commit");
        }
        assertThat(store.findRun("run-a").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void endsSentTogetherEachAnswerWithTheirRunAsItEndedAndARefusedOneWithItsWork() throws Exception {
        RunLinks child = new RunLinks("parent-run", null, null, null); // refused by the end's fence: it has a parent
        apply(List.of(creation("run-a"), creation("run-b", RunOptions.none(), child), creation("run-c")));
        executions.clear();

        List<Object> results = apply(List.of(ending("run-a", true), ending("run-b", true), ending("run-c", true)));

        // one batch for the three in their written form (pgjdbc sends a statement returning a row of unbounded size
        // one round trip at a time), then one read of the two runs they ended, in the same transaction
        assertThat(executions).containsExactly("batch of 3", "query", "commit");
        assertThat(results.get(1)).isEqualTo(FinishedRun.NOT_ENDED);
        for (int i : new int[] {0, 2}) {
            StoredRun answered = ((FinishedRun) results.get(i)).run();
            StoredRun stored = store.findRun(answered.id()).orElseThrow();
            assertThat(answered.id()).isEqualTo(i == 0 ? "run-a" : "run-c");
            assertThat(answered.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(answered.lastEventSeq()).isEqualTo(5).isEqualTo(stored.lastEventSeq());
            assertThat(answered).usingRecursiveComparison().isEqualTo(stored);
        }
        assertThat(store.findRun("run-b").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void wholeRunsSentTogetherEachAnswerWithTheirRun() throws Exception {
        List<Object> results =
                apply(List.of(creation("run-a"), ending("run-a", true), creation("run-b"), ending("run-b", true)));

        assertThat(executions).containsExactly("batch of 2", "query", "commit");
        assertThat(results.get(0)).isEqualTo("run-a");
        assertThat(results.get(2)).isEqualTo("run-b");
        for (int i : new int[] {1, 3}) {
            StoredRun answered = ((FinishedRun) results.get(i)).run();
            assertThat(answered.id()).isEqualTo(i == 1 ? "run-a" : "run-b");
            assertThat(answered)
                    .usingRecursiveComparison()
                    .isEqualTo(store.findRun(answered.id()).orElseThrow());
        }
    }

    @Test
    void theWrittenFormOfEachStatementReturningItsRunAnswersWithNoRowSoItsBatchIsOneRoundTrip() throws Exception {
        List<Pipelined<?>> returning = new ArrayList<>();
        for (boolean afterStep : new boolean[] {false, true}) {
            returning.add(ending("run-a", afterStep).pipelined());
            var whole = List.of(creation("run-a"), ending("run-a", afterStep));
            returning.add(FirstCheckpoint.join(whole, 0, 1).statement());
        }
        try (Connection c = connect()) {
            for (Pipelined<?> statement : returning) {
                assertThat(statement.returnsRun()).isTrue();
                // the returning form answers with the run's columns; pgjdbc cannot bound its size
                try (var ps = c.prepareStatement(statement.sql())) {
                    assertThat(ps.getMetaData()).isNotNull();
                }
                // the written form answers with nothing, so pgjdbc pipelines a batch of it with one sync
                try (var ps = c.prepareStatement(statement.run().writtenSql())) {
                    assertThat(ps.getMetaData()).isNull();
                }
            }
        }
    }

    /** A writer on this schema whose first batch holds until released, so the next writes queue as one batch. */
    private final class QueuedBehindAGate implements AutoCloseable {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final GroupCommitWriter writer = new GroupCommitWriter(
                () -> GroupCommitWriterTest.recording(
                        DriverManager.getConnection(PostgresTestDatabase.url(schema)), executions),
                64,
                "test-writer",
                GroupCommitWriter.Leaders.NONE,
                false);

        QueuedBehindAGate() throws InterruptedException {
            writer.submit(Write.batched(tx -> {
                entered.countDown();
                try {
                    return released.await(10, TimeUnit.SECONDS) ? 1 : 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() {
            released.countDown();
            writer.close();
        }
    }

    private Write<FinishedRun> ending(String runId, boolean afterStep) {
        var nodes = JsonNodeFactory.instance;
        StepRecord step = new StepRecord(
                runId,
                0,
                "s0",
                StepKind.FUNCTION,
                StepStatus.COMPLETED,
                null,
                nodes.numberNode(1),
                null,
                1,
                now.plusMillis(1),
                now.plusMillis(2),
                1);
        List<HistoryAppend> stepEvents = afterStep
                ? List.of(
                        new HistoryAppend(HistoryEventType.STEP_STARTED, now.plusMillis(1), 0, nodes.objectNode()),
                        new HistoryAppend(HistoryEventType.STEP_COMPLETED, now.plusMillis(2), 0, nodes.objectNode()))
                : List.of();
        Checkpoint last = afterStep ? new Checkpoint(step, HistoryEventType.STEP_COMPLETED, nodes.objectNode()) : null;
        RunEnd runEnd = new RunEnd(runId, 1, RunStatus.COMPLETED, "{\"sum\":1}", null, ended, last, true, null);
        return new PostgresRunWrites(RunAnnouncer.NONE)
                .ending(runEnd, stepEvents, RunEndings.terminal(runEnd), tx -> FinishedRun.NOT_ENDED);
    }

    /** The table's rows of the run, every column but the run's id (and the agent id, the run's own by default). */
    private List<Map<String, Object>> rows(String table, String runId) throws Exception {
        String key = table.equals("runs") ? "id" : "run_id";
        String order = switch (table) {
            case "history" -> " ORDER BY event_seq";
            case "steps" -> " ORDER BY seq";
            default -> "";
        };
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT * FROM " + table + " WHERE " + key + " = '" + runId + "'" + order)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String column = meta.getColumnName(i);
                    if (!column.equals(key) && !column.equals("agent_id")) row.put(column, rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
