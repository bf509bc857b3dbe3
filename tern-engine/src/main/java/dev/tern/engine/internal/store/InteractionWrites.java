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

/**
 * Questions to humans in the store: opening one blocks the run ({@code awaiting-human}), answering or timing out
 * unblocks it and wakes it, each in one transaction with its history event.
 */
final class InteractionWrites {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final NamedSql INSERT = NamedSql.parse("""
      INSERT INTO interactions (id, run_id, step_seq, prompt, answer_schema, status, created_at, timeout_at)
      VALUES (:id, :runId, :stepSeq, :prompt, :answerSchema, 'open', :createdAt, :timeoutAt)""");

    /** Times out an open question, only while {@code attempt} owns its run. */
    static final NamedSql TIME_OUT = NamedSql.parse("""
      UPDATE interactions SET status = 'timed_out', answered_at = :now
      WHERE id = :interactionId AND status = 'open'
        AND EXISTS (SELECT 1 FROM runs WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE)""");

    private final RunRows rows;
    private final Dialect dialect;

    InteractionWrites(RunRows rows, Dialect dialect) {
        this.rows = rows;
        this.dialect = dialect;
    }

    /** Opens the question at {@code step}, blocking the run; false if the step's attempt lost the run. */
    boolean open(Tx tx, StepRecord step, InteractionRecord i) throws SQLException {
        ObjectNode data = NODES.objectNode().put("interactionId", i.id()).put("prompt", i.prompt());
        if (i.answerSchema() != null) data.set("answerSchema", i.answerSchema());
        if (i.timeoutAt() != null) data.put("timeoutAt", i.timeoutAt().toString());
        if (rows.appendOwnedStatusChange(
                        tx,
                        i.runId(),
                        step.runAttempt(),
                        HistoryEventType.INTERACTION_OPENED,
                        i.createdAt(),
                        step.seq(),
                        data,
                        RunStatus.AWAITING_HUMAN)
                .isEmpty()) {
            return false;
        }
        tx.update(
                INSERT,
                NamedSql.Params.of("id", i.id())
                        .and("runId", i.runId())
                        .and("stepSeq", i.stepSeq())
                        .and("prompt", i.prompt())
                        .and("answerSchema", i.answerSchema() == null ? null : Json.write(i.answerSchema()))
                        .and("createdAt", i.createdAt())
                        .and("timeoutAt", i.timeoutAt()));
        StepRows.upsert(tx, step);
        tx.update(
                RunsSql.BLOCK_ON_INTERACTION,
                NamedSql.Params.of("waitingOn", RunWait.HUMAN)
                        .and("createdAt", i.createdAt())
                        .and("interactionId", i.id())
                        .and("runId", i.runId()));
        return true;
    }

    AnswerOutcome answer(Tx tx, String runId, String interactionId, String answerJson, Instant now, String by)
            throws SQLException {
        List<String> status = tx.query(
                "SELECT status FROM interactions WHERE id = ? AND run_id = ?" + dialect.rowLock(),
                rs -> rs.getString(1),
                interactionId,
                runId);
        if (status.isEmpty()) return AnswerOutcome.NOT_FOUND;
        if (!InteractionRecord.OPEN.equals(status.get(0))) return AnswerOutcome.NOT_OPEN;
        tx.update(
                "UPDATE interactions SET status = 'answered', answer = ?, answered_at = ? WHERE id = ?",
                answerJson,
                now,
                interactionId);
        ObjectNode data = NODES.objectNode().put("interactionId", interactionId);
        data.set("answer", Json.parse(answerJson));
        if (by != null) data.put("by", by);
        unblock(tx, runId, interactionId, HistoryEventType.INTERACTION_ANSWERED, data, now);
        return AnswerOutcome.ANSWERED;
    }

    /**
     * Times the question out for the executing attempt; false if it was answered first (or the attempt lost the run).
     */
    boolean timeOut(Tx tx, String runId, int attempt, String interactionId, Instant now) throws SQLException {
        int changed = tx.update(
                TIME_OUT,
                NamedSql.Params.of("now", now)
                        .and("interactionId", interactionId)
                        .and("runId", runId)
                        .and("attempt", attempt));
        if (changed == 0) return false;
        ObjectNode data = NODES.objectNode().put("interactionId", interactionId);
        unblock(tx, runId, interactionId, HistoryEventType.INTERACTION_TIMED_OUT, data, now);
        return true;
    }

    private void unblock(Tx tx, String runId, String interactionId, HistoryEventType type, ObjectNode data, Instant now)
            throws SQLException {
        int unblocked = tx.update(
                RunsSql.UNBLOCK_INTERACTION, NamedSql.Params.of("runId", runId).and("interactionId", interactionId));
        if (unblocked > 0) rows.appendStatusChange(tx, runId, type, now, null, data, RunStatus.RUNNING);
        else rows.appendHistory(tx, runId, type, now, null, null, data);
        rows.wake(tx, runId, now);
    }
}
