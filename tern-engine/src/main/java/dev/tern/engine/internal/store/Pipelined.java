package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.List;

/**
 * A write as one statement that reports by its update count whether it wrote (it then wrote all of the write, with
 * {@code written} its result) or not (it then wrote nothing). Needing no rows back, statements of one SQL text for
 * different runs can be sent to the server together and answered together ({@link PipelinedBatch}), one round trip
 * instead of one each.
 *
 * <p>A statement may also have a form that answers with a row ({@link Answering}): run alone, that form is sent
 * instead, and its row is the result, so what the write changed needs no read afterwards. Sent with others, the plain
 * form goes (a batch answers with update counts only).
 *
 * @param runId the one run whose rows the statement writes
 * @param sql the statement's text
 * @param args its arguments in placeholder order
 * @param written the write's result when the statement wrote
 * @param answering the form answering with a row, or null
 */
record Pipelined<T>(String runId, String sql, Object[] args, T written, Answering<T> answering) {

    /**
     * The same write as a statement returning one row when it writes (none when it does not), and that row's result.
     */
    record Answering<T>(String sql, Object[] args, Sql.RowMapper<T> row) {}

    /** A statement without an answering form. */
    Pipelined(String runId, String sql, Object[] args, T written) {
        this(runId, sql, args, written, null);
    }

    static <T> Pipelined<T> of(String runId, NamedSql sql, NamedSql.Params params, T written) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), written);
    }

    /** This statement, answering with {@code row}'s result when it runs alone and writes, by running {@code query}. */
    Pipelined<T> answering(NamedSql query, NamedSql.Params params, Sql.RowMapper<T> row) {
        return new Pipelined<>(runId, sql, args, written, new Answering<>(query.jdbc(), query.args(params), row));
    }

    /** Runs the statement by itself; true if it wrote. */
    boolean executeAlone(Tx tx) throws SQLException {
        return wrote(tx, tx.update(sql, args));
    }

    /**
     * Runs the statement by itself in its answering form: the row's result if it wrote, null if it did not (then it
     * wrote nothing).
     */
    T answerAlone(Tx tx) throws SQLException {
        List<T> rows = tx.query(answering.sql(), answering.row(), answering.args());
        return wrote(tx, rows.size()) ? rows.get(0) : null;
    }

    /** Records what the statement's update count says; true if it wrote. */
    boolean wrote(Tx tx, int updateCount) {
        if (updateCount <= 0) return false;
        tx.historyChanged(runId);
        return true;
    }
}
