package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.util.List;

/**
 * Ends runs inside the writer's transaction, with what follows from an ending: the attempt is closed, the terminal
 * event is appended, a waiting parent is woken, and unfinished children are cancelled (a child never outlives its
 * parent).
 */
final class RunEndings {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunRows rows;

    RunEndings(RunRows rows) {
        this.rows = rows;
    }

    /**
     * Ends the run if its attempt still owns it and it is unfinished, first writing its last checkpoint
     * ({@code end.last()}'s step and {@code stepEvents}) if it has one; false otherwise.
     */
    boolean finish(Tx tx, RunEnd end, List<HistoryAppend> stepEvents) throws SQLException {
        return finish(tx, end, stepEvents, terminal(end));
    }

    /** {@link #finish} with the terminal event made already ({@link #terminal}). */
    boolean finish(Tx tx, RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) throws SQLException {
        return finishing(tx, end, stepEvents, terminal).ended();
    }

    /** {@link #finish}, with the run as it ended when the database's end statement returned it. */
    FinishedRun finishing(Tx tx, RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal)
            throws SQLException {
        RunWrites.Ended ended = rows.runs().end(tx, end, stepEvents, terminal);
        if (ended == null) return FinishedRun.NOT_ENDED;
        String runId = end.runId();
        rows.statusChanged(tx, runId, ended.webhookUrl(), end.status(), ended.eventSeq(), end.now());
        if (ended.parentId() != null) {
            if (ended.parentWoken()) rows.woken(tx, ended.parentId());
            else rows.wake(tx, ended.parentId(), end.now());
        }
        for (String child : ended.openChildren()) {
            cancel(
                    tx,
                    child,
                    "its parent run " + runId + " ended " + end.status().wireName(),
                    end.now(),
                    null);
        }
        return ended.run() == null ? FinishedRun.ENDED : new FinishedRun(true, ended.run());
    }

    /** Cancels a queued or suspended run at once; asks the node executing a running one to stop it. */
    CancelOutcome cancel(Tx tx, String runId, String reason, java.time.Instant now, String by) throws SQLException {
        record State(String status, boolean suspended, int attempt) {}
        List<State> states = tx.query(
                "SELECT status, suspended, attempt FROM runs WHERE id = ?",
                rs -> new State(rs.getString(1), rs.getLong(2) != 0, rs.getInt(3)),
                runId);
        if (states.isEmpty()) return CancelOutcome.NOT_FOUND;
        State s = states.get(0);
        RunStatus status = RunStatus.fromWire(s.status()).orElseThrow();
        if (status.isTerminal()) return CancelOutcome.ALREADY_FINISHED;
        rows.appendHistory(
                tx,
                runId,
                HistoryEventType.CANCEL_REQUESTED,
                now,
                s.attempt() == 0 ? null : s.attempt(),
                null,
                by == null
                        ? NODES.objectNode().put("reason", reason)
                        : NODES.objectNode().put("reason", reason).put("by", by));
        tx.update(RunsSql.REQUEST_CANCEL, NamedSql.Params.of("now", now).and("runId", runId));
        if (status == RunStatus.QUEUED || s.suspended()) {
            ErrorInfo error = new ErrorInfo("Cancelled", reason, null);
            finish(tx, RunEnd.of(runId, s.attempt(), RunStatus.CANCELLED, null, error, now), List.of());
            return CancelOutcome.CANCELLED;
        }
        rows.notify(tx, Signal.Kind.CANCEL, runId);
        return CancelOutcome.REQUESTED;
    }

    /** The run's terminal history event: completed, failed or cancelled, with its output or error. */
    static HistoryAppend terminal(RunEnd end) {
        ObjectNode data = NODES.objectNode();
        if (end.outputJson() != null) data.set("output", Json.parse(end.outputJson()));
        if (end.error() != null) data.set("error", Json.tree(end.error()));
        return new HistoryAppend(terminalEvent(end.status()), end.now(), null, data);
    }

    private static HistoryEventType terminalEvent(RunStatus status) {
        return switch (status) {
            case COMPLETED -> HistoryEventType.RUN_COMPLETED;
            case CANCELLED -> HistoryEventType.RUN_CANCELLED;
            default -> HistoryEventType.RUN_FAILED;
        };
    }
}
