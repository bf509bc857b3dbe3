package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.List;

/**
 * A write as one statement that reports whether it wrote (it then wrote all of the write) or not (it then wrote
 * nothing). Statements of one SQL text for different runs can be sent to the server together and answered together
 * ({@link PipelinedBatch}), one round trip instead of one each.
 *
 * <p>A statement says it wrote either by its update count, its result then {@code written}, or, when it has a
 * {@code row}, by returning one row, its result then that row's: a run's end returns the run as it ended, so whoever
 * waits for the run has it without reading it again. Such a statement's top level is a write of exactly one row when
 * the statement writes and none when it does not, returning that row, so its update count still says whether it wrote
 * and a batch of them returns their rows in order ({@link Tx#updateAllReturning}); such a batch is sent one statement
 * at a time, though, a round trip each (the driver's choice, see there).
 *
 * @param runId the one run whose rows the statement writes
 * @param sql the statement's text
 * @param args its arguments in placeholder order
 * @param written the write's result when the statement wrote, for a statement without {@code row}
 * @param row the write's result from the row the statement returns when it wrote, or null
 */
record Pipelined<T>(String runId, String sql, Object[] args, T written, Sql.RowMapper<T> row) {

    /** A statement saying by its update count whether it wrote. */
    static <T> Pipelined<T> of(String runId, NamedSql sql, NamedSql.Params params, T written) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), written, null);
    }

    /** A statement returning one row when it wrote, none when it did not; the write's result is {@code row}'s. */
    static <T> Pipelined<T> returning(String runId, NamedSql sql, NamedSql.Params params, Sql.RowMapper<T> row) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), null, row);
    }

    /** Whether the statement returns a row when it writes. */
    boolean returnsRow() {
        return row != null;
    }

    /** Runs the statement by itself; true if it wrote. */
    boolean executeAlone(Tx tx) throws SQLException {
        return row == null ? wrote(tx, tx.update(sql, args)) : runAlone(tx) != null;
    }

    /** Runs the statement by itself: the write's result if it wrote, null if it did not (then it wrote nothing). */
    T runAlone(Tx tx) throws SQLException {
        if (row == null) return wrote(tx, tx.update(sql, args)) ? written : null;
        List<T> rows = tx.query(sql, row, args);
        return wrote(tx, rows.size()) ? rows.get(0) : null;
    }

    /**
     * The result once the statement, sent with others, answered {@code updateCount} and, if it returns one, the
     * {@code returned} row's result: null if it wrote nothing.
     */
    T result(Tx tx, int updateCount, T returned) {
        if (!wrote(tx, updateCount)) return null;
        return row == null ? written : returned;
    }

    /** Records what the statement's update count says; true if it wrote. */
    boolean wrote(Tx tx, int updateCount) {
        if (updateCount <= 0) return false;
        tx.historyChanged(runId);
        return true;
    }
}
