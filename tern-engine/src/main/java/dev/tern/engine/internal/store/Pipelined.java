package dev.tern.engine.internal.store;

import java.sql.SQLException;

/**
 * A write as one statement that reports by its update count whether it wrote (it then wrote all of the write, with
 * {@code written} its result) or not (it then wrote nothing). Needing no rows back, statements of one SQL text for
 * different runs can be sent to the server together and answered together ({@link PipelinedBatch}), one round trip
 * instead of one each.
 *
 * @param runId the one run whose rows the statement writes
 * @param sql the statement's text
 * @param args its arguments in placeholder order
 * @param written the write's result when the statement wrote
 */
record Pipelined<T>(String runId, String sql, Object[] args, T written) {

    static <T> Pipelined<T> of(String runId, NamedSql sql, NamedSql.Params params, T written) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), written);
    }

    /** Runs the statement by itself; true if it wrote. */
    boolean executeAlone(Tx tx) throws SQLException {
        return wrote(tx, tx.update(sql, args));
    }

    /** Records what the statement's update count says; true if it wrote. */
    boolean wrote(Tx tx, int updateCount) {
        if (updateCount <= 0) return false;
        tx.historyChanged(runId);
        return true;
    }
}
