package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * A write for the {@link GroupCommitWriter}: what it does in the writer's transaction, and how it may be committed. The
 * store's classes for each database choose the commit (only they know when a write is one statement); the executor
 * never sees it. {@code lingerNanos}: how long the write, first in a queue of writes that may all wait, waits for
 * another write to share its commit (0: it never waits). {@code run}: the one run whose rows the write changes, when
 * the store said so ({@link #runId()}). {@code part}: what {@link FirstCheckpoint} needs to join it with another write
 * of its run in a batch, or null.
 */
record Write<T>(
        Work<T> work,
        Commit commit,
        BooleanSupplier obsolete,
        Pipelined<T> pipelined,
        long lingerNanos,
        String run,
        FirstCheckpoint.Part part) {

    /**
     * How long a {@link Commit#LAZY lazy} write waits for another write to share its commit: a quick step's "started"
     * and "completed" then share one commit instead of two.
     */
    static final long LAZY_LINGER_NANOS = 2_000_000;

    /**
     * How long the creation of a run already executing on its node ({@link NewRun#executingBeforeDurable()}) waits for
     * the run's first write: a quick first step's checkpoint, or a one-step run's end, then commits with the creation,
     * one commit instead of two. Its creator waits for it, so the wait is about one commit's time: a run whose first
     * step is slow has its creation acknowledged that much later.
     */
    static final long CREATION_LINGER_NANOS = 500_000;

    Write(Work<T> work, Commit commit, BooleanSupplier obsolete) {
        this(work, commit, obsolete, null, commit == Commit.LAZY ? LAZY_LINGER_NANOS : 0, null, null);
    }

    /**
     * The one run whose rows the write changes, or null when it may change several or nobody said: a pipelined
     * statement's run, or the run the store named ({@link #onRun}, {@link #joinable}).
     */
    String runId() {
        return run != null ? run : pipelined != null ? pipelined.runId() : null;
    }

    /** The same write, said to change rows of {@code runId} and no other run's. */
    Write<T> onRun(String runId) {
        return new Write<>(work, commit, obsolete, pipelined, lingerNanos, runId, part);
    }

    /** The same write, which {@link FirstCheckpoint} may join with another write of its run in a batch. */
    Write<T> joinable(FirstCheckpoint.Part value) {
        return new Write<>(work, commit, obsolete, pipelined, lingerNanos, value.runId(), value);
    }

    /**
     * The same write, which may first try {@code statement}: one statement that either writes all of the write (its
     * result then the statement's) or nothing (the work then runs). A batch sends such statements of several runs
     * together ({@link PipelinedBatch}): one round trip for those answering by update count.
     */
    Write<T> pipelined(Pipelined<T> statement) {
        return new Write<>(work, commit, obsolete, statement, lingerNanos, run, part);
    }

    /**
     * The same write, allowed to wait up to {@code nanos} for another write to share its commit while nothing queued
     * needs committing at once. Someone may still await it: it is committed no later than that, and never dropped.
     */
    Write<T> waitingForCompany(long nanos) {
        return new Write<>(work, commit, obsolete, pipelined, nanos, run, part);
    }

    /** Whether the write may wait for company before it is committed. */
    boolean lingers() {
        return lingerNanos > 0;
    }

    /**
     * Does the write in {@code tx}: its pipelined statement alone if it has one, and its work if that wrote nothing.
     */
    T apply(Tx tx) throws SQLException {
        if (pipelined == null) return work.apply(tx);
        T written = pipelined.runAlone(tx);
        return written != null ? written : work.apply(tx);
    }

    /**
     * The result once the pipelined statement, sent with others, answered {@code updateCount} (and {@code returned},
     * the run it wrote as read back, if it returns its run): its own if it wrote, else the work's.
     */
    T answer(Tx tx, int updateCount, StoredRun returned) throws SQLException {
        T written = pipelined.result(tx, updateCount, returned);
        return written != null ? written : work.apply(tx);
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
