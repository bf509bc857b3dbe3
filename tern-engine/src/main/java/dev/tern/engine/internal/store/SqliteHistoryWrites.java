package dev.tern.engine.internal.store;

import dev.tern.engine.StepRecord;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * History and checkpoints on SQLite, in process, statement by statement: each event takes its sequence from the run,
 * then is inserted (a checkpoint's events take theirs in one statement, and are inserted in one); a checkpoint is
 * batched with whatever else is queued.
 */
final class SqliteHistoryWrites implements HistoryWrites {

    @Override
    public long append(Tx tx, String runId, Integer attempt, HistoryAppend event) throws SQLException {
        long seq = tx.queryLong(SqliteRunsSql.TAKE_EVENT_SEQ, NamedSql.Params.of("runId", runId))
                .orElseThrow(() -> new SQLException("run " + runId + " does not exist"));
        HistoryRows.insert(tx, runId, seq, attempt, event);
        return seq;
    }

    @Override
    public OptionalLong appendOwned(Tx tx, String runId, int attempt, HistoryAppend event) throws SQLException {
        OptionalLong seq = tx.queryLong(
                SqliteRunsSql.TAKE_OWNED_EVENT_SEQ,
                NamedSql.Params.of("runId", runId).and("attempt", attempt));
        if (seq.isPresent()) HistoryRows.insert(tx, runId, seq.getAsLong(), attempt, event);
        return seq;
    }

    @Override
    public boolean checkpoint(Tx tx, Checkpoint c, List<HistoryAppend> events) throws SQLException {
        StepRecord s = c.step();
        WaitChange wait = c.waitChange();
        if (events.size() == 1) {
            if (appendOwned(tx, s.runId(), s.runAttempt(), events.get(0)).isEmpty()) return false;
        } else if (!events.isEmpty()) {
            // a step that finished before its start was written brings both events: one statement takes both numbers
            OptionalLong last = tx.queryLong(
                    SqliteRunsSql.TAKE_OWNED_EVENT_SEQS,
                    NamedSql.Params.of("count", events.size())
                            .and("runId", s.runId())
                            .and("attempt", s.runAttempt()));
            if (last.isEmpty()) return false;
            long first = last.getAsLong() - events.size() + 1;
            HistoryRows.insertAll(tx, s.runId(), first, s.runAttempt(), events);
        }
        if (wait != null) {
            tx.update(
                    RunsSql.SET_WAITING,
                    NamedSql.Params.of("waitingOn", wait.waitingOn())
                            .and("waitingSince", wait.since())
                            .and("updatedAt", wait.at())
                            .and("runId", s.runId()));
        }
        StepRows.upsert(tx, c);
        return true;
    }

    /**
     * Batched; the run's first step's checkpoint in its first attempt, changing nothing the run waits on, may be joined
     * with the run's creation if that is in the same batch ({@link FirstCheckpoint}).
     */
    @Override
    public Write<Boolean> checkpointing(Checkpoint c, List<HistoryAppend> events) {
        StepRecord step = c.step();
        Write<Boolean> write =
                Write.<Boolean>batched(tx -> checkpoint(tx, c, events)).onRun(step.runId());
        if (c.waitChange() != null || step.seq() != 0 || step.runAttempt() != 1 || events.isEmpty()) return write;
        return write.joinable(new FirstCheckpoint.Part(
                step.runId(), FirstCheckpoint.Role.CHECKPOINT, StepRows.checkpointParams(c, events), events.size()));
    }
}
