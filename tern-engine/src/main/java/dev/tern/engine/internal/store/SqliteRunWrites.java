package dev.tern.engine.internal.store;

import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's life on SQLite, statement by statement in the writer's transaction; every write is batched (in process a
 * commit costs the same alone or shared). One process owns the file, so there is no other node to tell of a change.
 */
final class SqliteRunWrites implements RunWrites {
    private final SqliteHistoryWrites history;

    SqliteRunWrites(SqliteHistoryWrites history) {
        this.history = history;
    }

    @Override
    public boolean insert(Tx tx, NewRun run, HistoryAppend created) throws SQLException {
        boolean started = run.owner() != null;
        // the run's first events are numbered as it is inserted, not taken from its row one by one after
        NamedSql.Params row = NewRunRow.params(run).and("lastEventSeq", started ? 2 : 1);
        if (tx.update(SqliteRunsSql.INSERT, row) == 0) return false;
        Instant at = run.createdAt();
        if (!started) {
            HistoryRows.insert(tx, run.id(), 1, null, created);
            return true;
        }
        // its first attempt's row only when needed (LazyAttempts): the attempt_started event holds what it would
        HistoryAppend attempt =
                new HistoryAppend(HistoryEventType.ATTEMPT_STARTED, at, null, AttemptRows.startedData(run.owner()));
        HistoryRows.insertAll(tx, run.id(), 1, Arrays.asList(null, 1), List.of(created, attempt));
        return true;
    }

    /**
     * Batched; a run that starts while its creation commits, with no webhook delivery to queue, may be joined with its
     * first checkpoint ({@link FirstCheckpoint}, {@link #insertWithCheckpoint}).
     */
    @Override
    public Write<String> creating(NewRun run, HistoryAppend created, Write.Work<String> create) {
        Write<String> write = Write.batched(create).onRun(run.id());
        if (!run.executing() || run.options().webhookUrl() != null) return write;
        return write.joinable(new FirstCheckpoint.Part(
                run.id(), FirstCheckpoint.Role.CREATION, NewRunRow.startedParams(run, created), 0));
    }

    /**
     * A started run's creation and its first checkpoint as one ({@link FirstCheckpoint}): the run's row, inserted with
     * the checkpoint's {@code events} numbered after its own two, every event in one statement, and the step's row (its
     * first attempt's row only when needed, {@link LazyAttempts}); three statements instead of six. {@code p}: both
     * writes' values. False, with nothing written, if the run was not inserted.
     */
    static boolean insertWithCheckpoint(Tx tx, String runId, NamedSql.Params p, int events) throws SQLException {
        if (tx.update(SqliteRunsSql.INSERT, p.and("lastEventSeq", 2 + events)) == 0) return false;
        if (tx.defersRows()) {
            Object[] rows = SqliteRunsSql.firstEventRows(events, p);
            tx.defer(DeferredRows.Table.HISTORY, rows, 0, StepStartFold.fold(rows, 2 + events));
        } else {
            tx.update(SqliteRunsSql.firstEvents(events), p);
        }
        tx.historyChanged(runId);
        StepRows.upsert(tx, p);
        return true;
    }

    /**
     * The end takes the sequence numbers of its last checkpoint's events and of its terminal event in its own fenced
     * update, and all of them are inserted in one statement after it: no separate update for the checkpoint. The run's
     * end clears whatever it waited on, so a wait change of its last checkpoint has nothing to add.
     */
    @Override
    public Ended end(Tx tx, RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) throws SQLException {
        String runId = end.runId();
        int attempt = end.attempt();
        List<HistoryAppend> events = new ArrayList<>(end.last() == null ? List.of() : stepEvents);
        events.add(terminal);
        record Row(int open, String parentId, String webhookUrl, long eventSeq, StoredRun run) {}
        EndedCopy copy = EndedCopy.of(end);
        String errorJson = copy != null ? copy.errorJson() : Json.writeNullable(end.error());
        Sql.RowMapper<Row> mapper = copy == null
                ? rs -> new Row(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4), RunColumns.read(rs, 5))
                : rs -> new Row(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        copy.ended(EndedCopy.Changing.read(rs, 4)));
        NamedSql statement = end.last() == null
                ? (copy == null ? SqliteRunsSql.END : SqliteRunsSql.END_KNOWN)
                : (copy == null ? SqliteRunsSql.END_AFTER_STEP : SqliteRunsSql.END_AFTER_STEP_KNOWN);
        List<Row> ended = tx.query(
                statement,
                mapper,
                NamedSql.Params.of("runId", runId)
                        .and("attempt", attempt)
                        .and("status", end.status().wireName())
                        .and("output", end.outputJson())
                        .and("error", errorJson)
                        .and("now", end.now())
                        .and("count", events.size()));
        if (ended.isEmpty()) return null;
        Row row = ended.get(0);
        if (end.last() != null) StepRows.upsert(tx, end.last());
        if (attempt > 0) AttemptRows.end(tx, runId, attempt, end.status().wireName(), end.now());
        HistoryRows.insertAll(tx, runId, row.eventSeq() - events.size() + 1, attempt == 0 ? null : attempt, events);
        if ((row.open() & SqliteRunsSql.OPEN_INTERACTION) != 0) {
            tx.update("UPDATE interactions SET status = 'closed' WHERE run_id = ? AND status = 'open'", runId);
        }
        List<String> children = (row.open() & SqliteRunsSql.OPEN_CHILD) == 0
                ? List.of()
                : tx.query(SqliteRunsSql.OPEN_CHILDREN, rs -> rs.getString(1), NamedSql.Params.of("runId", runId));
        return new Ended(row.parentId(), row.webhookUrl(), row.eventSeq(), children, row.run(), false);
    }

    @Override
    public Write<FinishedRun> ending(
            RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal, Write.Work<FinishedRun> finish) {
        return Write.batched(finish).onRun(end.runId());
    }

    /** The suspension's update fences the rest: the step's checkpoint and the event follow only if it applied. */
    @Override
    public boolean suspend(Tx tx, Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event)
            throws SQLException {
        if (tx.update(RunsSql.SUSPEND, s.params()) == 0) return false;
        Checkpoint last = s.last();
        if (last != null) history.checkpoint(tx, last, stepEvents);
        history.append(tx, s.runId(), s.attempt(), event);
        return true;
    }

    @Override
    public Write<Boolean> suspending(
            Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event, Write.Work<Boolean> suspend) {
        return Write.batched(suspend).onRun(s.runId());
    }

    @Override
    public void resumeAttempts(Tx tx, List<Claim> resumed, String nodeId, Instant now) throws SQLException {
        LazyAttempts.writeFirst(tx, resumed.stream().map(Claim::runId).toList());
        tx.updateAll(
                AttemptRows.INSERT_RESUME.jdbc(), AttemptRows.argsOf(AttemptRows.INSERT_RESUME, resumed, nodeId, now));
        tx.updateAll(
                AttemptRows.KEEP_ALIVE_ONE.jdbc(),
                AttemptRows.argsOf(AttemptRows.KEEP_ALIVE_ONE, resumed, nodeId, now));
    }

    @Override
    public void notify(Tx tx, Signal.Kind kind, String runId) {
        // one process owns the store: its own node learns of the change when the write completes
    }
}
