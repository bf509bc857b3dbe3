package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Questions to humans in the store: opening one blocks the run ({@code awaiting-human}),
 * answering or timing out unblocks it and wakes it, each in one transaction with its history event.
 */
final class InteractionWrites {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final GroupCommitWriter writer;
  private final RunRows rows;
  private final StepWrites steps;

  InteractionWrites(GroupCommitWriter writer, RunRows rows, StepWrites steps) {
    this.writer = writer;
    this.rows = rows;
    this.steps = steps;
  }

  CompletableFuture<Boolean> open(StepRecord step, InteractionRecord i) {
    return writer.submit(tx -> {
      ObjectNode data = NODES.objectNode().put("interactionId", i.id()).put("prompt", i.prompt());
      if (i.answerSchema() != null) data.set("answerSchema", i.answerSchema());
      if (i.timeoutAt() != null) data.put("timeoutAt", i.timeoutAt().toString());
      if (rows.appendOwnedStatusChange(tx, i.runId(), step.runAttempt(), HistoryEventType.INTERACTION_OPENED, i.createdAt(), step.seq(), data,
          RunStatus.AWAITING_HUMAN).isEmpty()) {
        return false;
      }
      tx.update("INSERT INTO interactions (id, run_id, step_seq, prompt, answer_schema, status, created_at, timeout_at) "
              + "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
          i.id(), i.runId(), i.stepSeq(), i.prompt(), i.answerSchema() == null ? null : Json.write(i.answerSchema()), i.createdAt(), i.timeoutAt());
      steps.upsert(tx, step);
      tx.update("UPDATE runs SET waiting_on = ?, waiting_since = ?, blocking_interaction = ?, updated_at = ?, version = version + 1 WHERE id = ?",
          RunWait.HUMAN, i.createdAt(), i.id(), i.createdAt(), i.runId());
      return true;
    });
  }

  CompletableFuture<AnswerOutcome> answer(String runId, String interactionId, String answerJson, Instant now) {
    return writer.submit(tx -> {
      List<String> status = tx.query("SELECT status FROM interactions WHERE id = ? AND run_id = ?" + rows.dialect().rowLock(),
          rs -> rs.getString(1), interactionId, runId);
      if (status.isEmpty()) return AnswerOutcome.NOT_FOUND;
      if (!InteractionRecord.OPEN.equals(status.get(0))) return AnswerOutcome.NOT_OPEN;
      tx.update("UPDATE interactions SET status = 'answered', answer = ?, answered_at = ? WHERE id = ?", answerJson, now, interactionId);
      ObjectNode data = NODES.objectNode().put("interactionId", interactionId);
      data.set("answer", Json.parse(answerJson));
      unblock(tx, runId, interactionId, HistoryEventType.INTERACTION_ANSWERED, data, now);
      return AnswerOutcome.ANSWERED;
    });
  }

  /** Times the interaction out on behalf of the executing attempt; false if it was answered first (or the attempt lost the run). */
  CompletableFuture<Boolean> timeOut(String runId, int attempt, String interactionId, Instant now) {
    return writer.submit(tx -> {
      int changed = tx.update("UPDATE interactions SET status = 'timed_out', answered_at = ? WHERE id = ? AND status = 'open' "
          + "AND EXISTS (SELECT 1 FROM runs WHERE id = ? AND " + RunRows.OWNED + ")", now, interactionId, runId, attempt);
      if (changed == 0) return false;
      unblock(tx, runId, interactionId, HistoryEventType.INTERACTION_TIMED_OUT, NODES.objectNode().put("interactionId", interactionId), now);
      return true;
    });
  }

  private void unblock(Tx tx, String runId, String interactionId, HistoryEventType type, ObjectNode data, Instant now) throws SQLException {
    int unblocked = tx.update("UPDATE runs SET waiting_on = NULL, waiting_since = NULL, blocking_interaction = NULL, version = version + 1 "
        + "WHERE id = ? AND blocking_interaction = ?", runId, interactionId);
    if (unblocked > 0) rows.appendStatusChange(tx, runId, type, now, null, data, RunStatus.RUNNING);
    else rows.appendHistory(tx, runId, type, now, null, null, data);
    rows.wake(tx, runId, now);
  }
}
