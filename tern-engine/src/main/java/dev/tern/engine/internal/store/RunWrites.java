package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A run's life in the {@code runs} and {@code attempts} tables, inside the writer's transaction: created, resumed,
 * ended, and other nodes told of it. One implementation per database, chosen by {@link StoreFactory}:
 * {@link PostgresRunWrites} (one statement per write, {@code pg_notify}) and {@link SqliteRunWrites} (statement by
 * statement; one process, nobody to tell). Each says how its hot writes may commit, since only it knows when a write is
 * one statement.
 */
interface RunWrites {

    /**
     * Inserts the run and its {@code run_created} event ({@link RunRows#createdEvent}); a run created with an owner
     * also gets its first attempt and {@code attempt_started}, a queued one a notice to other nodes. False if the
     * idempotency key is taken: nothing is written.
     */
    boolean insert(Tx tx, NewRun run, HistoryAppend created) throws SQLException;

    /**
     * Creating {@code run} as a write for the writer's queue: {@code create} (which calls {@link #insert} with
     * {@code created} among the rest), committed as this database allows, perhaps tried first as one statement
     * ({@link Write#pipelined}).
     */
    Write<String> creating(NewRun run, HistoryAppend created, Write.Work<String> create);

    /**
     * {@code run}'s insert, with what {@link #insert} writes, as one statement that reports by its update count whether
     * it inserted (0: the idempotency key is taken, nothing written), for a batch of creations sent to the server
     * together ({@link NewRuns}); a queued run's notice to other nodes is left to the batch ({@link #notify}, once).
     * Null when the run needs more than a statement (a webhook's first delivery, an organisation's quota) or when this
     * database gains nothing by it.
     */
    default Pipelined<String> batchedInsert(NewRun run, HistoryAppend created) {
        return null;
    }

    /**
     * Ends the run if {@code end.attempt()} still has it and it is unfinished, first writing the last checkpoint
     * ({@code end.last()}'s step and {@code stepEvents}) if there is one: the attempt is closed, {@code terminal}
     * appended, open questions closed and other nodes told. Null (nothing written) if the attempt lost the run.
     */
    Ended end(Tx tx, RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) throws SQLException;

    /**
     * Ending a run as a write for the writer's queue: {@code finish} (which calls {@link #end} and does what follows),
     * committed as this database allows, perhaps tried first as one statement ({@link Write#pipelined}).
     */
    Write<FinishedRun> ending(
            RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal, Write.Work<FinishedRun> finish);

    /**
     * Suspends the executing run (no owner, due at its wake time), after writing its held step checkpoint with
     * {@code stepEvents} if it has one, and appends its {@code run_suspended} {@code event}; nothing is written if a
     * signal arrived after the suspension's signal sequence or its attempt lost the run. True if it suspended.
     */
    boolean suspend(Tx tx, Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event) throws SQLException;

    /**
     * A suspension as a write for the writer's queue: {@code suspend} (which calls {@link #suspend} and does what
     * follows), committed as this database allows, perhaps tried first as one statement ({@link Write#pipelined}).
     */
    Write<Boolean> suspending(
            Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event, Write.Work<Boolean> suspend);

    /**
     * Records that {@code nodeId} takes up each claimed suspended attempt again (each keeps the node it started on),
     * the statements of each kind sent together.
     */
    void resumeAttempts(Tx tx, List<Claim> resumed, String nodeId, Instant now) throws SQLException;

    /** Tells other nodes about a change as this transaction commits. */
    void notify(Tx tx, Signal.Kind kind, String runId) throws SQLException;

    /**
     * What ending a run found: its parent, webhook URL, terminal event sequence and unfinished children, and the run as
     * it ended where the end statement returned its row ({@code null}: it did not); {@code parentWoken}: the end's
     * statement woke the parent itself and told other nodes (only this node is left to tell).
     */
    record Ended(
            String parentId,
            String webhookUrl,
            long eventSeq,
            List<String> openChildren,
            StoredRun run,
            boolean parentWoken) {}
}
