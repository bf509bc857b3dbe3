package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * A run's history and step checkpoints, the writes a run makes most, inside the writer's transaction: each event takes
 * its run's next sequence number. One implementation per database, chosen by {@link StoreFactory}:
 * {@link PostgresHistoryWrites} makes each write one statement, {@link SqliteHistoryWrites} writes statement by
 * statement; both leave the same rows.
 */
interface HistoryWrites {

    /** Appends the event with the run's next sequence and returns it; fails if there is no such run. */
    long append(Tx tx, String runId, Integer attempt, HistoryAppend event) throws SQLException;

    /** An event for {@link #appendAll}: appended to {@code runId}'s history as written by {@code attempt}. */
    record RunEvent(String runId, Integer attempt, HistoryAppend event) {}

    /**
     * {@link #append} of each event, each to its own run, in order; their sequences. A node claiming a batch of runs
     * appends one event to each: a database that can send the statements together does so.
     */
    default long[] appendAll(Tx tx, List<RunEvent> events) throws SQLException {
        long[] seqs = new long[events.size()];
        for (int i = 0; i < seqs.length; i++) {
            RunEvent e = events.get(i);
            seqs[i] = append(tx, e.runId(), e.attempt(), e.event());
        }
        return seqs;
    }

    /**
     * Appends the event (as written by {@code attempt}) only while that attempt owns the running run, fencing a node
     * that lost its lease; empty if it does not.
     */
    OptionalLong appendOwned(Tx tx, String runId, int attempt, HistoryAppend event) throws SQLException;

    /**
     * Appends the checkpoint's {@code events}, changes what the run waits on (its {@code waitChange}, or null) and
     * upserts its step's row, only if the step's attempt owns the running run; false (nothing written) if it does not.
     */
    boolean checkpoint(Tx tx, Checkpoint checkpoint, List<HistoryAppend> events) throws SQLException;

    /** The {@link #checkpoint} as a write for the writer's queue, committed as this database allows. */
    Write<Boolean> checkpointing(Checkpoint checkpoint, List<HistoryAppend> events);
}
