package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Ends runs inside the writer's transaction, with what follows from an ending: the attempt is
 * closed, the terminal event is appended, a waiting parent is woken, and unfinished children are
 * cancelled (a child never outlives its parent).
 */
final class RunEndings {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RunRows rows;
  private final StepWrites steps;

  RunEndings(RunRows rows, StepWrites steps) {
    this.rows = rows;
    this.steps = steps;
  }

  /** Ends the run if {@code attempt} still owns it and it is unfinished; false otherwise. */
  boolean finish(Tx tx, String runId, int attempt, RunStatus status, String outputJson, ErrorInfo error, Instant now) throws SQLException {
    return finishAfter(tx, null, List.of(), runId, attempt, status, outputJson, error, now);
  }

  /**
   * Like {@link #finish}, first writing the run's last step checkpoint ({@code step} and its
   * {@code stepEvents}) if {@code step} is non-null: on PostgreSQL all in one statement.
   */
  boolean finishAfter(Tx tx, StepRecord step, List<HistoryAppend> stepEvents, String runId, int attempt, RunStatus status, String outputJson,
      ErrorInfo error, Instant now) throws SQLException {
    ObjectNode data = NODES.objectNode();
    if (outputJson != null) data.set("output", Json.parse(outputJson));
    if (error != null) data.set("error", Json.tree(error));
    PostgresWrites.Ended ended;
    if (rows.dialect() == Dialect.POSTGRESQL) {
      ended = PostgresWrites.finish(tx, runId, attempt, status.wireName(), outputJson, Json.writeNullable(error), now,
          new HistoryAppend(terminalEvent(status), now, null, data), step, stepEvents);
    } else {
      // the run's end clears whatever it waited on: a wait change of its last checkpoint has nothing to add
      if (step != null && !steps.recordStepwise(tx, rows, step, stepEvents, null)) return false;
      ended = finishStepwise(tx, runId, attempt, status, outputJson, error, now, data);
    }
    if (ended == null) return false;
    rows.statusChanged(tx, runId, ended.webhookUrl(), status, ended.eventSeq(), now);
    if (ended.parentId() != null) rows.wake(tx, ended.parentId(), now);
    for (String child : ended.openChildren()) cancel(tx, child, "its parent run " + runId + " ended " + status.wireName(), now);
    return true;
  }

  private PostgresWrites.Ended finishStepwise(Tx tx, String runId, int attempt, RunStatus status, String outputJson, ErrorInfo error,
      Instant now, ObjectNode data) throws SQLException {
    List<String> ended = tx.query("UPDATE runs SET status = ?, output = ?, error = ?, completed_at = ?, updated_at = ?, version = version + 1, owner = NULL, "
            + "ready_at = NULL, suspended = 0, wake_at = NULL, waiting_on = NULL, waiting_since = NULL, blocking_interaction = NULL "
            + "WHERE id = ? AND " + Sql.recheck("attempt = ? AND status IN ('queued', 'running')") + " RETURNING parent_id",
        rs -> rs.getString(1), status.wireName(), outputJson, Json.writeNullable(error), now, now, runId, attempt);
    if (ended.isEmpty()) return null;
    if (attempt > 0) rows.endAttempt(tx, runId, attempt, status.wireName(), now);
    RunRows.Appended appended = rows.appendHistoryReturningWebhook(tx, runId, terminalEvent(status), now, attempt == 0 ? null : attempt, data);
    tx.update("UPDATE interactions SET status = 'closed' WHERE run_id = ? AND status = 'open'", runId);
    rows.notify(tx, Signal.Kind.DONE, runId);
    List<String> children = tx.query("SELECT id FROM runs WHERE parent_id = ? AND " + RunRows.UNFINISHED, rs -> rs.getString(1), runId);
    return new PostgresWrites.Ended(ended.get(0), appended.webhookUrl(), appended.seq(), children);
  }

  /** Cancels a queued or suspended run at once; asks the node executing a running one to stop it. */
  CancelOutcome cancel(Tx tx, String runId, String reason, Instant now) throws SQLException {
    record State(String status, boolean suspended, int attempt) {}
    List<State> states = tx.query("SELECT status, suspended, attempt FROM runs WHERE id = ?",
        rs -> new State(rs.getString(1), rs.getLong(2) != 0, rs.getInt(3)), runId);
    if (states.isEmpty()) return CancelOutcome.NOT_FOUND;
    State s = states.get(0);
    RunStatus status = RunStatus.fromWire(s.status()).orElseThrow();
    if (status.isTerminal()) return CancelOutcome.ALREADY_FINISHED;
    rows.appendHistory(tx, runId, HistoryEventType.CANCEL_REQUESTED, now, s.attempt() == 0 ? null : s.attempt(), null,
        NODES.objectNode().put("reason", reason));
    tx.update("UPDATE runs SET cancel_requested = 1, signal_seq = signal_seq + 1, updated_at = ?, version = version + 1 WHERE id = ?", now, runId);
    if (status == RunStatus.QUEUED || s.suspended()) {
      finish(tx, runId, s.attempt(), RunStatus.CANCELLED, null, new ErrorInfo("Cancelled", reason, null), now);
      return CancelOutcome.CANCELLED;
    }
    rows.notify(tx, Signal.Kind.CANCEL, runId);
    return CancelOutcome.REQUESTED;
  }

  private static HistoryEventType terminalEvent(RunStatus status) {
    return switch (status) {
      case COMPLETED -> HistoryEventType.RUN_COMPLETED;
      case CANCELLED -> HistoryEventType.RUN_CANCELLED;
      default -> HistoryEventType.RUN_FAILED;
    };
  }
}
