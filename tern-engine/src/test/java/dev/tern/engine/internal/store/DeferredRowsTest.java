package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.StepStatus;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite's writer inserts a batch's history and step rows together at its end ({@link DeferredRows}), on the store's
 * own schema: the rows are all there after the commit, a step upserted twice in one batch ends as the second upsert
 * left it, a write later in the batch that reads the tables finds the earlier writes' rows, and a batch that fails
 * leaves none of its rows behind while its other writes, committed one by one, keep theirs.
 */
class DeferredRowsTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    GroupCommitWriter writer;

    @AfterEach
    void close() {
        if (writer != null) writer.close();
    }

    GroupCommitWriter writer() {
        StoreFactory.sqlite(dir, false).close(); // the store's schema, migrated
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("tern.db"));
        return writer =
                new GroupCommitWriter(sqlite::getConnection, 1024, "test-writer", GroupCommitWriter.Leaders.NONE, true);
    }

    /** The writer held in its first batch: the writes queued until {@link #release} make its next batch. */
    record Held(GroupCommitWriterTest.Gate gate, CompletableFuture<Integer> first) {
        void release() throws Exception {
            gate.release();
            first.get(10, TimeUnit.SECONDS);
        }
    }

    /** A writer on a fresh store, held in a first batch of one write until released. */
    Held holdWriter() throws InterruptedException {
        writer();
        GroupCommitWriterTest.Gate gate = new GroupCommitWriterTest.Gate();
        CompletableFuture<Integer> first = writer.submit(tx -> {
            gate.entered.countDown();
            try {
                gate.released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        gate.awaitEntered();
        return new Held(gate, first);
    }

    static StepRecord step(String runId, int seq, StepStatus status, int output) {
        return new StepRecord(
                runId,
                seq,
                "s" + seq,
                StepKind.FUNCTION,
                status,
                null,
                status == StepStatus.COMPLETED ? JsonNodeFactory.instance.numberNode(output) : null,
                null,
                1,
                T0,
                status == StepStatus.COMPLETED ? T0 : null,
                1);
    }

    static HistoryAppend event(HistoryEventType type, int stepSeq) {
        return new HistoryAppend(
                type, T0, stepSeq, JsonNodeFactory.instance.objectNode().put("step", stepSeq));
    }

    /** Writes a step's row and its event, deferred in the writer's batch. */
    static Write.Work<Integer> stepWrite(String runId, int seq, StepStatus status, long eventSeq, int output) {
        return tx -> {
            assertThat(tx.defersRows()).isTrue();
            StepRows.upsert(tx, step(runId, seq, status, output));
            HistoryRows.insert(tx, runId, eventSeq, 1, event(HistoryEventType.STEP_COMPLETED, seq));
            return 1;
        };
    }

    @Test
    void aBatchsRowsGoInTogetherInTheOrderTheyCame() throws Exception {
        Held held = holdWriter();
        // one batch: a waiting step, the same step done, 150 more steps, then a write that reads what came before it
        List<CompletableFuture<?>> batch = new ArrayList<>();
        batch.add(writer.submit(stepWrite("run_a", 0, StepStatus.WAITING, 1, 0)));
        batch.add(writer.submit(stepWrite("run_a", 0, StepStatus.COMPLETED, 2, 7)));
        for (int i = 1; i <= 150; i++) batch.add(writer.submit(stepWrite("run_b", i, StepStatus.COMPLETED, i, i)));
        CompletableFuture<List<String>> read = writer.submit(tx -> {
            List<String> seen = new ArrayList<>(tx.query(
                    "SELECT status || ':' || output FROM steps WHERE run_id = ? AND seq = 0",
                    rs -> rs.getString(1),
                    "run_a"));
            seen.addAll(tx.query("SELECT count(*) FROM history", rs -> rs.getString(1)));
            return seen;
        });
        held.release();
        for (CompletableFuture<?> f : batch) f.get(10, TimeUnit.SECONDS);
        assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly("completed:7", "152");
        assertThat(writer.counters()).as("writes, transactions").containsExactly(154L, 2L);
        assertThat(count("SELECT count(*) FROM steps WHERE run_id = 'run_b'")).isEqualTo(150);
        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_b'")).isEqualTo(150);
        assertThat(count("SELECT sum(CAST(output AS INTEGER)) FROM steps WHERE run_id = 'run_b'"))
                .isEqualTo(150 * 151 / 2);
        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_a'")).isEqualTo(2);
    }

    @Test
    void aFailingWritesBatchLeavesNoRowsAndTheOthersKeepTheirs() throws Exception {
        Held held = holdWriter();
        CompletableFuture<Integer> first = writer.submit(stepWrite("run_c", 0, StepStatus.COMPLETED, 1, 1));
        // the same event number again: its row fails the history's key when the batch's rows go in
        CompletableFuture<Integer> clash = writer.submit(stepWrite("run_c", 1, StepStatus.COMPLETED, 1, 2));
        CompletableFuture<Integer> last = writer.submit(stepWrite("run_c", 2, StepStatus.COMPLETED, 3, 3));
        held.release();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(clash).failsWithin(10, TimeUnit.SECONDS);
        assertThat(count("SELECT count(*) FROM steps WHERE run_id = 'run_c'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_c'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM steps WHERE run_id = 'run_c' AND seq = 1"))
                .isZero();
    }

    long count(String sql) throws SQLException {
        return count(dir, sql);
    }

    /** The number the query {@code sql} answers on the store in {@code dir}. */
    static long count(Path dir, String sql) throws SQLException {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("tern.db"));
        try (var c = sqlite.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
