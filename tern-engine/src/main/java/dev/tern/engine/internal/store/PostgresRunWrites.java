package dev.tern.engine.internal.store;

import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A run's life on PostgreSQL, where a round trip costs more than the work: creating a run and ending one are one
 * statement each ({@link RunsSql.Postgres}), and such a statement alone in a batch commits itself when nothing else
 * must commit with it: a run without a webhook delivery to queue, an end that wakes no parent and cancels no children.
 * Other nodes learn of changes through {@code pg_notify}, sent as the transaction commits (a run's end only while
 * another node waits on runs, see {@link RunAnnouncer}).
 */
final class PostgresRunWrites implements RunWrites {
    private final RunAnnouncer announcer;

    /** {@code announcer} says whether another node waits on runs: only then is a run's end notified. */
    PostgresRunWrites(RunAnnouncer announcer) {
        this.announcer = announcer;
    }

    static final String NOTIFY = "SELECT pg_notify(" + PostgresChannel.SIGNALS.sql() + ", ?)";

    @Override
    public boolean insert(Tx tx, NewRun run, HistoryAppend created) throws SQLException {
        if (run.owner() != null)
            return inserting(run, NewRunRow.startedParams(run, created)).executeAlone(tx);
        NamedSql.Params p = queuedParams(run, created);
        boolean inserted = !tx.query(RunsSql.Postgres.INSERT_QUEUED, rs -> rs.getString(1), p)
                .isEmpty();
        if (inserted) tx.historyChanged(run.id());
        return inserted;
    }

    /**
     * A batch's run as one statement: a batch of a thousand runs took a round trip per run, slower than as many runs
     * scheduled one by one (whose creations the writer pipelines); sent together, they take one.
     */
    @Override
    public Pipelined<String> batchedInsert(NewRun run, HistoryAppend created) {
        if (!oneStatement(run)) return null;
        if (run.owner() != null) return inserting(run, NewRunRow.startedParams(run, created));
        NamedSql.Params p = queuedParams(run, created);
        return Pipelined.of(run.id(), RunsSql.Postgres.INSERT_QUEUED_UNANNOUNCED, p, run.id());
    }

    /** A queued run's values for {@link RunsSql.Postgres#INSERT_QUEUED} and its unannounced form. */
    private static NamedSql.Params queuedParams(NewRun run, HistoryAppend created) {
        return NewRunRow.params(run)
                .and("createdEvent", HistoryEventType.RUN_CREATED.wireName())
                .and("createdData", created.dataJson());
    }

    /**
     * Whether creating {@code run} is one statement: a webhook's first delivery, or an organisation's quota (checked by
     * statements before the insert), need a transaction of several.
     */
    private static boolean oneStatement(NewRun run) {
        return run.options().webhookUrl() == null
                && (run.quota() == null || !run.quota().limits());
    }

    /** A run started at once by its creating node, as one statement: one attempt inserted, or none. */
    private static Pipelined<String> inserting(NewRun run, NamedSql.Params startedParams) {
        return Pipelined.of(run.id(), RunsSql.Postgres.INSERT_OWNED, startedParams, run.id());
    }

    /**
     * One statement, unless a webhook delivery must be queued with it; a run started at once is tried as a
     * {@link Pipelined} insert, and {@code create} runs only if that inserted nothing (its idempotency key taken).
     */
    @Override
    public Write<String> creating(NewRun run, HistoryAppend created, Write.Work<String> create) {
        if (!oneStatement(run)) return Write.batched(create);
        Write<String> write = Write.of(Write.Commit.ONE_STATEMENT, create);
        if (run.owner() == null) return write;
        NamedSql.Params p = NewRunRow.startedParams(run, created);
        write = write.pipelined(inserting(run, p));
        return run.executing()
                ? write.joinable(new FirstCheckpoint.Part(run.id(), FirstCheckpoint.Role.CREATION, p, 0))
                : write;
    }

    @Override
    public Ended end(Tx tx, RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) throws SQLException {
        NamedSql.Params p = endParams(end, stepEvents, terminal)
                .and("doneSignal", announcer.watchedElsewhere() ? Signal.Kind.DONE.name() + ":" + end.runId() : null);
        var statement = end.last() == null ? PostgresEndSql.END : PostgresEndSql.END_AFTER_STEP;
        NamedSql sql = statement.forEvents(eventCount(end, stepEvents), p);
        List<Ended> ended = tx.query(sql, PostgresRunWrites::ended, p);
        if (ended.isEmpty()) return null;
        tx.historyChanged(end.runId());
        return ended.get(0);
    }

    private static NamedSql.Params endParams(RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) {
        return endParams(end, stepEvents, terminal, "status", "now");
    }

    /**
     * The end's values, its status and time named {@code statusName} and {@code nowName}; its events numbered from 1,
     * the terminal one last; its step's row if it writes one.
     */
    static NamedSql.Params endParams(
            RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal, String statusName, String nowName) {
        int attempt = end.attempt();
        List<HistoryAppend> events = end.last() == null ? List.of() : stepEvents;
        // the end's own six values, its events', and its step's row
        NamedSql.Params p = NamedSql.Params.sized(6
                        + HistoryRows.VALUES_PER_EVENT * (events.size() + 1)
                        + (end.last() == null ? 0 : StepRows.VALUES))
                .and("runId", end.runId())
                .and("attempt", attempt)
                .and(statusName, end.status().wireName())
                .and("output", end.outputJson())
                .and("error", Json.writeNullable(end.error()))
                .and(nowName, end.now());
        for (int i = 0; i < events.size(); i++) HistoryRows.bindEvent(p, i + 1, events.get(i), attempt);
        HistoryRows.bindEvent(p, events.size() + 1, terminal, attempt == 0 ? null : attempt);
        if (end.last() != null) StepRows.params(p, end.last());
        return p;
    }

    private static int eventCount(RunEnd end, List<HistoryAppend> stepEvents) {
        return (end.last() == null ? 0 : stepEvents.size()) + 1;
    }

    /**
     * One statement, unless the end wakes a parent, queues a delivery or cancels children. While no other node waits on
     * runs, an end said to wake nobody is tried as a {@link Pipelined} statement that ends only a run without parent,
     * webhook or unfinished children and returns the run as it ended, alone or in a batch (made from the copy its
     * attempt started with when it has one, {@link EndedCopy}); {@code finish} runs if it ended nothing (then it
     * decides).
     */
    @Override
    public Write<FinishedRun> ending(
            RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal, Write.Work<FinishedRun> finish) {
        if (!end.wakesNobody()) return Write.batched(finish);
        Write<FinishedRun> write = Write.of(Write.Commit.ONE_STATEMENT, finish);
        if (announcer.watchedElsewhere()) return write;
        boolean afterStep = end.last() != null;
        int events = eventCount(end, stepEvents);
        NamedSql.Params p = endParams(end, stepEvents, terminal);
        FirstCheckpoint.Role role = afterStep ? FirstCheckpoint.Role.END_AFTER_STEP : FirstCheckpoint.Role.END;
        EndedCopy copy = EndedCopy.of(end);
        Pipelined<FinishedRun> statement;
        if (copy != null) {
            NamedSql known = (afterStep ? PostgresEndSql.END_ALONE_AFTER_STEP_KNOWN : PostgresEndSql.END_ALONE_KNOWN)
                    .forEvents(events, p);
            statement = Pipelined.returningChanging(end.runId(), known, p, copy, run -> new FinishedRun(true, run));
        } else {
            NamedSql sql =
                    (afterStep ? PostgresEndSql.END_ALONE_AFTER_STEP : PostgresEndSql.END_ALONE).forEvents(events, p);
            NamedSql written = (afterStep
                            ? PostgresEndSql.END_ALONE_AFTER_STEP_WRITTEN
                            : PostgresEndSql.END_ALONE_WRITTEN)
                    .forEvents(events, p);
            statement = Pipelined.returningRun(end.runId(), sql, written, p, run -> new FinishedRun(true, run));
        }
        return write.pipelined(statement)
                .joinable(new FirstCheckpoint.Part(
                        end.runId(), role, () -> WholeRun.endParams(end, stepEvents, terminal), events));
    }

    /**
     * {@link RunsSql#SUSPEND} with the run's {@code run_suspended} event and, when the suspension holds a step's
     * checkpoint (a timer begun just now), that step's row and events before it: one statement, one new row version.
     * {@code :changesWait} (1 or 0) says whether the checkpoint changes what the run waits on.
     */
    static final RunsSql.Postgres.EventsSql SUSPEND_WITH_EVENTS = new RunsSql.Postgres.EventsSql(suspending(""));

    /** {@link #SUSPEND_WITH_EVENTS} writing the held checkpoint's step row too. */
    static final RunsSql.Postgres.EventsSql SUSPEND_AFTER_STEP =
            new RunsSql.Postgres.EventsSql(suspending(", st AS (" + RunsSql.Postgres.upsertStep("s") + ")"));

    private static String suspending(String stepRow) {
        return """
        WITH s AS (
          UPDATE runs SET suspended = 1, owner = NULL, ready_at = :wakeAt, wake_at = :wakeAt, updated_at = :now,
            version = version + 1, last_event_seq = last_event_seq + {count},
            waiting_on = CASE WHEN :changesWait::bigint = 1 THEN :waitingOn::text ELSE waiting_on END,
            waiting_since = CASE WHEN :changesWait::bigint = 1 THEN :waitingSince::bigint ELSE waiting_since END
          WHERE id = :runId
            AND (attempt = :attempt AND signal_seq = :signalSeq AND status = 'running' AND suspended = 0) IS TRUE
          RETURNING last_event_seq)%s
        %s""".formatted(stepRow, RunsSql.Postgres.insertEvents(":runId::text", "s.last_event_seq - {count}", "s"));
    }

    @Override
    public boolean suspend(Tx tx, Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event)
            throws SQLException {
        return suspension(s, stepEvents, event).executeAlone(tx);
    }

    /**
     * One statement, pipelined in a batch, that suspends the run or writes nothing (a signal came in, or the attempt
     * lost the run: that is the answer); unless other nodes must be told of a timer due soon.
     */
    @Override
    public Write<Boolean> suspending(
            Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event, Write.Work<Boolean> suspend) {
        if (s.announced()) return Write.batched(suspend);
        return Write.of(Write.Commit.ONE_STATEMENT, tx -> false).pipelined(suspension(s, stepEvents, event));
    }

    private static Pipelined<Boolean> suspension(Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event) {
        Checkpoint last = s.last();
        List<HistoryAppend> events = last == null ? List.of() : stepEvents;
        WaitChange wait = last == null ? null : last.waitChange();
        NamedSql.Params p = s.params()
                .and("changesWait", wait != null)
                .and("waitingOn", wait == null ? null : wait.waitingOn())
                .and("waitingSince", wait == null ? null : wait.since());
        for (int i = 0; i < events.size(); i++) HistoryRows.bindEvent(p, i + 1, events.get(i), s.attempt());
        HistoryRows.bindEvent(p, events.size() + 1, event, s.attempt());
        if (last != null) StepRows.params(p, last);
        NamedSql sql = (last == null ? SUSPEND_WITH_EVENTS : SUSPEND_AFTER_STEP).forEvents(events.size() + 1, p);
        return Pipelined.of(s.runId(), sql, p, true);
    }

    @Override
    public void resumeAttempts(Tx tx, List<Claim> resumed, String nodeId, Instant now) throws SQLException {
        tx.updateAll(
                AttemptRows.RESUME_IN_ONE.jdbc(), AttemptRows.argsOf(AttemptRows.RESUME_IN_ONE, resumed, nodeId, now));
    }

    @Override
    public void notify(Tx tx, Signal.Kind kind, String runId) throws SQLException {
        tx.query(NOTIFY, rs -> null, kind.name() + ":" + runId);
    }

    private static Ended ended(ResultSet rs) throws SQLException {
        String[] children = (String[]) rs.getArray(5).getArray();
        return new Ended(rs.getString(1), rs.getString(2), rs.getLong(3), List.of(children), null, true);
    }
}
