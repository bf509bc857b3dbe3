package dev.tern.engine.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * History rows written the same way on both databases: the row itself, and an event that changes the status clients
 * see, which reads the run's webhook URL as it takes the sequence number.
 */
final class HistoryRows {
    private HistoryRows() {}

    /** An appended event's sequence and its run's webhook URL (or null). */
    record Appended(long seq, String webhookUrl) {
        static Appended read(ResultSet rs) throws SQLException {
            return new Appended(rs.getLong(1), rs.getString(2));
        }
    }

    /** Inserts the event at {@code seq}, taken from its run by the caller. */
    static void insert(Tx tx, String runId, long seq, Integer attempt, HistoryAppend e) throws SQLException {
        insertAll(tx, runId, seq, attempt, List.of(e));
    }

    /** {@link #insertAll(Tx, String, long, List, List)} with the same attempt (or null) for every event. */
    static void insertAll(Tx tx, String runId, long firstSeq, Integer attempt, List<HistoryAppend> events)
            throws SQLException {
        insertAll(tx, runId, firstSeq, java.util.Collections.nCopies(events.size(), attempt), events);
    }

    /**
     * The history's insert before its rows' values, in the columns' order each row's values follow
     * ({@link StepStartFold#COLUMNS} a row); {@link #insertAll} and a batch's deferred rows
     * ({@link DeferredRows.Table#HISTORY}) insert through the same statements.
     */
    static final String INSERT_INTO =
            "INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data, started_at) VALUES ";

    /**
     * Inserts {@code events} at {@code firstSeq}, {@code firstSeq + 1}, … in one statement, each with its attempt
     * ({@code attempts}, in the same order; an element may be null), a step's start folded into its completion's row
     * ({@link StepStartFold}). On SQLite a statement costs the single writer about as much as the row it inserts, so a
     * step's two events and a run's end with its last step's three are one statement each.
     */
    static void insertAll(Tx tx, String runId, long firstSeq, List<Integer> attempts, List<HistoryAppend> events)
            throws SQLException {
        if (events.size() != attempts.size()) throw new IllegalArgumentException("one attempt per event");
        tx.historyChanged(runId);
        Object[] args = new Object[events.size() * StepStartFold.COLUMNS];
        for (int i = 0; i < events.size(); i++) {
            HistoryAppend e = events.get(i);
            int at = i * StepStartFold.COLUMNS;
            args[at] = runId;
            args[at + 1] = firstSeq + i;
            args[at + 2] = e.type().wireName();
            args[at + 3] = e.at();
            args[at + 4] = attempts.get(i);
            args[at + 5] = e.stepSeq();
            args[at + 6] = e.dataJson();
        }
        int rows = StepStartFold.fold(args, events.size());
        if (tx.defersRows()) tx.defer(DeferredRows.Table.HISTORY, args, 0, rows);
        else
            tx.update(
                    DeferredRows.Table.HISTORY.insert(rows),
                    java.util.Arrays.copyOf(args, rows * StepStartFold.COLUMNS));
    }

    /**
     * Binds event number {@code i} of a statement's event rows, as {@code :typeI, :atI, :attemptI, :stepSeqI, :dataI}
     * (see {@link RunsSql.Postgres#eventRows} and {@link SqliteRunsSql#firstEvents}).
     */
    static void bindEvent(NamedSql.Params p, int i, HistoryAppend e, Integer attempt) {
        String[] names = eventParams(i);
        p.and(names[0], e.type().wireName())
                .and(names[1], e.at())
                .and(names[2], attempt)
                .and(names[3], e.stepSeq())
                .and(names[4], e.dataJson());
    }

    /** How many values {@link #bindEvent} adds per event. */
    static final int VALUES_PER_EVENT = 5;

    /**
     * The parameter names of event number {@code i}, made once for the numbers statements use (a checkpoint's two or
     * three events, a batch's more) and interned like the statements' own names, which {@link NamedSql.Params} then
     * finds by identity.
     */
    private static final String[][] EVENT_NAMES = java.util.stream.IntStream.range(0, 64)
            .mapToObj(HistoryRows::eventNames)
            .toArray(String[][]::new);

    /** The names {@link #bindEvent} binds event {@code i}'s values by: its type, time, attempt, step and data. */
    static String[] eventParams(int i) {
        return i < EVENT_NAMES.length ? EVENT_NAMES[i] : eventNames(i);
    }

    private static String[] eventNames(int i) {
        return new String[] {
            ("type" + i).intern(),
            ("at" + i).intern(),
            ("attempt" + i).intern(),
            ("stepSeq" + i).intern(),
            ("data" + i).intern()
        };
    }

    /** Appends the event with the run's next sequence; returns it with the run's webhook URL. */
    static Appended appendWithWebhook(Tx tx, String runId, Integer attempt, HistoryAppend e) throws SQLException {
        List<Appended> taken =
                tx.query(RunsSql.TAKE_EVENT_SEQ_WITH_WEBHOOK, Appended::read, NamedSql.Params.of("runId", runId));
        if (taken.isEmpty()) throw new SQLException("run " + runId + " does not exist");
        insert(tx, runId, taken.get(0).seq(), attempt, e);
        return taken.get(0);
    }

    /** Like {@link #appendWithWebhook}, only while {@code attempt} owns the running run; empty if it does not. */
    static Optional<Appended> appendOwnedWithWebhook(Tx tx, String runId, int attempt, HistoryAppend e)
            throws SQLException {
        List<Appended> taken = tx.query(
                RunsSql.TAKE_OWNED_EVENT_SEQ_WITH_WEBHOOK,
                Appended::read,
                NamedSql.Params.of("runId", runId).and("attempt", attempt));
        if (taken.isEmpty()) return Optional.empty();
        insert(tx, runId, taken.get(0).seq(), attempt, e);
        return Optional.of(taken.get(0));
    }
}
