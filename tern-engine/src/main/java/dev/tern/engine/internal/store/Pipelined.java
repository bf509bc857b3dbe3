package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * A write as one statement that reports whether it wrote (it then wrote all of the write) or not (it then wrote
 * nothing). Statements of one SQL text for different runs can be sent to the server together and answered together
 * ({@link PipelinedBatch}), one round trip instead of one each.
 *
 * <p>A statement says it wrote either by its update count, its result then {@code written}, or, when it returns the run
 * it wrote ({@code run}), by returning one row: a run's end returns the run as it ended, so whoever waits for the run
 * has it without reading it again. Such a statement's top level is a write of exactly one row when the statement writes
 * and none when it does not, returning the run as one text array ({@link RunColumns#arrayFrom}), so its update count
 * still says whether it wrote. Several of them go together in their {@linkplain RunReturning#writtenSql written form}
 * instead (the same write, answering by its update count), and the runs they wrote are read back after them: pgjdbc
 * sends a statement that returns text one round trip at a time, each with its own sync.
 *
 * <p>A run's end whose run a copy makes ({@link EndedCopy}) answers with the few values the copy lacks instead: a row
 * of fixed size, which pgjdbc sends with others and reads back together, so such ends need neither a round trip each
 * nor the read after them.
 *
 * @param runId the one run whose rows the statement writes
 * @param sql the statement's text
 * @param args its arguments in placeholder order
 * @param written the write's result when the statement wrote, for a statement that does not return its run
 * @param run how a statement that returns its run, or the values its copy lacks, answers; or null
 */
record Pipelined<T>(String runId, String sql, Object[] args, T written, RunReturning<T> run) {

    /**
     * What a statement returning its run answers: the write's result made from the run, and the statement's written
     * form, whose placeholders are the statement's own and whose update count says whether it wrote (none for a
     * statement answering {@link EndedCopy#CHANGING}, which is sent with others as it is), and for such a statement the
     * copy of the run it ends ({@code copy}, else null).
     */
    record RunReturning<T>(String writtenSql, Function<StoredRun, T> result, EndedCopy copy) {}

    /** A statement saying by its update count whether it wrote. */
    static <T> Pipelined<T> of(String runId, NamedSql sql, NamedSql.Params params, T written) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), written, null);
    }

    /**
     * A statement returning the run it wrote, none when it did not, the write's result then {@code result}'s of that
     * run; {@code writtenSql} is the same statement without the run, answering by its update count.
     */
    static <T> Pipelined<T> returningRun(
            String runId, NamedSql sql, NamedSql writtenSql, NamedSql.Params params, Function<StoredRun, T> result) {
        if (!sql.names().equals(writtenSql.names()))
            throw new IllegalArgumentException("a statement's written form must take its values in the same order");
        return new Pipelined<>(
                runId, sql.jdbc(), sql.args(params), null, new RunReturning<>(writtenSql.jdbc(), result, null));
    }

    /**
     * A run's end returning {@link EndedCopy#CHANGING} when it wrote, none when it did not; the write's result then
     * {@code result}'s of the run as it ended, made from {@code copy}.
     */
    static <T> Pipelined<T> returningChanging(
            String runId, NamedSql sql, NamedSql.Params params, EndedCopy copy, Function<StoredRun, T> result) {
        return new Pipelined<>(runId, sql.jdbc(), sql.args(params), null, new RunReturning<>(null, result, copy));
    }

    /** Whether the statement returns the run it wrote (its written form is sent in batches). */
    boolean returnsRun() {
        return run != null && run.copy() == null;
    }

    /** Whether the statement returns {@link EndedCopy#CHANGING}, its run made from {@link RunReturning#copy}. */
    boolean returnsChanging() {
        return run != null && run.copy() != null;
    }

    /** Runs the statement by itself; true if it wrote. */
    boolean executeAlone(Tx tx) throws SQLException {
        return run == null ? wrote(tx, tx.update(sql, args)) : runAlone(tx) != null;
    }

    /** Runs the statement by itself: the write's result if it wrote, null if it did not (then it wrote nothing). */
    T runAlone(Tx tx) throws SQLException {
        if (run == null) return wrote(tx, tx.update(sql, args)) ? written : null;
        List<T> rows = tx.query(sql, rs -> run.result().apply(returned(rs)), args);
        return wrote(tx, rows.size()) ? rows.get(0) : null;
    }

    /** The run as the statement's row {@code rs} says it ended. */
    private StoredRun returned(java.sql.ResultSet rs) throws SQLException {
        return run.copy() == null ? RunColumns.readArray(rs, 1) : run.copy().ended(EndedCopy.Changing.read(rs, 1));
    }

    /**
     * The result once the statement, sent with others, answered {@code updateCount} and, if it returns its run, that
     * run as read back: null if it wrote nothing.
     */
    T result(Tx tx, int updateCount, StoredRun returned) {
        if (!wrote(tx, updateCount)) return null;
        return run == null ? written : run.result().apply(returned);
    }

    /** Records what the statement's update count says; true if it wrote. */
    boolean wrote(Tx tx, int updateCount) {
        if (updateCount <= 0) return false;
        tx.historyChanged(runId);
        return true;
    }
}
