package dev.tern.engine.internal.store;

import dev.tern.engine.StepRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * History and checkpoints on PostgreSQL, each one statement ({@link RunsSql.Postgres}): the run's sequence bump, the
 * events and the step's row in one data-modifying CTE, so a checkpoint is one round trip and, alone in a batch, commits
 * itself.
 */
final class PostgresHistoryWrites implements HistoryWrites {

    @Override
    public long append(Tx tx, String runId, Integer attempt, HistoryAppend event) throws SQLException {
        long seq = tx.queryLong(RunsSql.Postgres.APPEND_HISTORY, eventParams(runId, attempt, event))
                .orElseThrow(() -> new SQLException("run " + runId + " does not exist"));
        tx.historyChanged(runId);
        return seq;
    }

    /**
     * The events' statements sent together ({@link Tx#updateAllReturning}: each returns its event's sequence, a value
     * of fixed size, so pgjdbc pipelines them): one round trip for a claim of 256 runs instead of 256.
     */
    @Override
    public long[] appendAll(Tx tx, List<RunEvent> events) throws SQLException {
        if (events.size() < 2) return HistoryWrites.super.appendAll(tx, events);
        List<Object[]> args = new ArrayList<>(events.size());
        for (RunEvent e : events)
            args.add(RunsSql.Postgres.APPEND_HISTORY.args(eventParams(e.runId(), e.attempt(), e.event())));
        List<Long> returned = new ArrayList<>(events.size());
        int[] counts =
                tx.updateAllReturning(RunsSql.Postgres.APPEND_HISTORY.jdbc(), args, rs -> rs.getLong(1), returned);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) throw new SQLException("run " + events.get(i).runId() + " does not exist");
        }
        if (returned.size() != events.size())
            throw new SQLException(events.size() + " history events appended, " + returned.size() + " sequences back");
        long[] seqs = new long[returned.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = returned.get(i);
            tx.historyChanged(events.get(i).runId());
        }
        return seqs;
    }

    @Override
    public OptionalLong appendOwned(Tx tx, String runId, int attempt, HistoryAppend event) throws SQLException {
        OptionalLong seq = tx.queryLong(RunsSql.Postgres.APPEND_OWNED_HISTORY, eventParams(runId, attempt, event));
        if (seq.isPresent()) tx.historyChanged(runId);
        return seq;
    }

    @Override
    public boolean checkpoint(Tx tx, Checkpoint c, List<HistoryAppend> events) throws SQLException {
        return statement(c.step(), StepRows.checkpointParams(c, events), events.size(), c.waitChange())
                .executeAlone(tx);
    }

    /**
     * One statement, alone committing itself, in a batch sent with the batch's other checkpoints; when it writes
     * nothing the step's attempt lost the run, and that is the answer.
     */
    @Override
    public Write<Boolean> checkpointing(Checkpoint c, List<HistoryAppend> events) {
        StepRecord s = c.step();
        WaitChange wait = c.waitChange();
        NamedSql.Params p = StepRows.checkpointParams(c, events);
        Write<Boolean> write =
                Write.of(Write.Commit.ONE_STATEMENT, tx -> false).pipelined(statement(s, p, events.size(), wait));
        return wait == null
                ? write.joinable(new FirstCheckpoint.Part(s.runId(), FirstCheckpoint.Role.CHECKPOINT, p, events.size()))
                : write;
    }

    /**
     * The checkpoint's statement for its values {@code p} ({@link StepRows#checkpointParams}), with its wait change.
     */
    private static Pipelined<Boolean> statement(StepRecord s, NamedSql.Params p, int events, WaitChange wait) {
        var sql = (wait == null ? RunsSql.Postgres.CHECKPOINT : RunsSql.Postgres.CHECKPOINT_CHANGING_WAIT)
                .forEvents(events, p);
        if (wait != null) {
            p.and("waitingOn", wait.waitingOn())
                    .and("waitingSince", wait.since())
                    .and("updatedAt", wait.at());
        }
        return Pipelined.of(s.runId(), sql, p, true);
    }

    private static NamedSql.Params eventParams(String runId, Integer attempt, HistoryAppend e) {
        return NamedSql.Params.of("runId", runId)
                .and("attempt", attempt)
                .and("type", e.type().wireName())
                .and("at", e.at())
                .and("stepSeq", e.stepSeq())
                .and("data", e.dataJson());
    }
}
