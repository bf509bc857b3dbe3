package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * A write for the {@link GroupCommitWriter}: what it does in the writer's transaction, and how it may be committed. The
 * store's classes for each database choose the commit (only they know when a write is one statement); the executor
 * never sees it.
 */
record Write<T>(Work<T> work, Commit commit, BooleanSupplier obsolete, Pipelined<T> pipelined) {

    Write(Work<T> work, Commit commit, BooleanSupplier obsolete) {
        this(work, commit, obsolete, null);
    }

    /**
     * The same write, which may first try {@code statement}: one statement that either writes all of the write (its
     * result then {@code statement.written()}) or nothing (the work then runs). A batch sends such statements of
     * several runs in one round trip ({@link PipelinedBatch}).
     */
    Write<T> pipelined(Pipelined<T> statement) {
        return new Write<>(work, commit, obsolete, statement);
    }

    /**
     * Does the write in {@code tx}: its pipelined statement alone if it has one (in the form answering with a row, if
     * it has that), and its work if that wrote nothing.
     */
    T apply(Tx tx) throws SQLException {
        if (pipelined == null) return work.apply(tx);
        if (pipelined.answering() == null) return answer(tx, tx.update(pipelined.sql(), pipelined.args()));
        T answered = pipelined.answerAlone(tx);
        return answered != null ? answered : work.apply(tx);
    }

    /** The result once the pipelined statement answered {@code updateCount}: its own if it wrote, else the work's. */
    T answer(Tx tx, int updateCount) throws SQLException {
        return pipelined.wrote(tx, updateCount) ? pipelined.written() : work.apply(tx);
    }

    /** What the write does, inside the writer's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Tx tx) throws SQLException;
    }

    /** How the writer may commit a write. */
    enum Commit {
        /** In the transaction of the next batch, with whatever else is queued. */
        BATCHED,
        /**
         * The write is exactly one statement, atomic by itself: alone in a batch it runs in autocommit mode, sparing
         * the round trip of a {@code COMMIT} (PostgreSQL). In a batch of several it is batched.
         */
        ONE_STATEMENT,
        /**
         * Nobody waits for it (a step's "started" event): it may wait a little for another write to share its commit,
         * still committing before anything submitted after it, and is dropped once {@link Write#obsolete()} says
         * another write took it over.
         */
        LAZY
    }

    static <T> Write<T> of(Commit commit, Work<T> work) {
        return new Write<>(work, commit, () -> false);
    }

    static <T> Write<T> batched(Work<T> work) {
        return of(Commit.BATCHED, work);
    }

    static <T> Write<T> lazy(Work<T> work, BooleanSupplier obsolete) {
        return new Write<>(work, Commit.LAZY, obsolete);
    }
}
