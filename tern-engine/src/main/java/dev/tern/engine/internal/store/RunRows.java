package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * The row-level building blocks every store write is made of, inside the writer's transaction:
 * inserting a run, appending to its history with the next event sequence, opening and closing
 * attempts, and telling other nodes what changed.
 */
public final class RunRows {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Dialect dialect;
  private final WebhookOutbox outbox = new WebhookOutbox();

  RunRows(Dialect dialect) {
    this.dialect = dialect;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The run is running in attempt {@code ?}: a write on behalf of an attempt that lost the run (fenced) matches nothing. */
  static final String OWNED = Sql.recheck("attempt = ? AND status = 'running'");
  static final String UNFINISHED = Sql.recheck("status IN ('queued', 'running')");

  static final String RUN_COLUMNS = "id, kind, name, status, input, created_at, started_at, updated_at, attempt, owner, ready_at, "
      + "deadline_at, idempotency_key, webhook_url, parent_id, thread_id, continued_from, agent_id, budget";
  static final int RUN_COLUMN_COUNT = 19;

  /** Inserts the run unless its idempotency key is taken; returns the id of the run that holds the key. */
  public String insertRun(Tx tx, NewRun run) throws SQLException {
    boolean owned = run.owner() != null;
    var o = run.options();
    var l = run.links();
    ObjectNode created = NODES.objectNode().put("kind", run.kind()).put("name", run.name());
    created.set("input", Json.parse(run.inputJson()));
    if (l.parentId() != null) created.put("parentRunId", l.parentId());
    if (l.continuedFrom() != null) created.put("continuedFrom", l.continuedFrom());
    if (o.deadlineAt() != null) created.put("deadlineAt", o.deadlineAt().toString());
    if (o.caller() != null) created.set("caller", o.caller());
    boolean inserted = dialect == Dialect.POSTGRESQL
        ? PostgresWrites.insertRun(tx, run, runArgs(run), created, attemptData(run.owner()))
        : insertRunStepwise(tx, run, created);
    if (!inserted) {
      return tx.query("SELECT id FROM runs WHERE idempotency_key = ?", rs -> rs.getString(1), o.idempotencyKey()).get(0);
    }
    // a new run's run_created event is always its first
    if (o.webhookUrl() != null) outbox.enqueue(tx, run.id(), o.webhookUrl(), owned ? RunStatus.RUNNING : RunStatus.QUEUED, 1, run.createdAt());
    return run.id();
  }

  private static final String INSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES ("
      + String.join(", ", java.util.Collections.nCopies(RUN_COLUMN_COUNT, "?")) + ") "
      + "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";

  private boolean insertRunStepwise(Tx tx, NewRun run, ObjectNode created) throws SQLException {
    int inserted = tx.update(INSERT_RUN, runArgs(run));
    if (inserted == 0) return false;
    appendHistory(tx, run.id(), HistoryEventType.RUN_CREATED, run.createdAt(), null, null, created);
    if (run.owner() != null) startAttempt(tx, run.id(), 1, run.owner(), run.createdAt());
    else notify(tx, Signal.Kind.WORK, run.id());
    return true;
  }

  /** The run's values in {@link #RUN_COLUMNS} order: a run created with an owner is running in its first attempt. */
  private static Object[] runArgs(NewRun run) {
    boolean owned = run.owner() != null;
    var o = run.options();
    var l = run.links();
    return new Object[] {run.id(), run.kind(), run.name(), owned ? "running" : "queued", run.inputJson(), run.createdAt(),
        owned ? run.createdAt() : null, run.createdAt(), owned ? 1 : 0, run.owner(), owned ? run.leaseUntil() : run.createdAt(),
        o.deadlineAt(), o.idempotencyKey(), o.webhookUrl(), l.parentId(), o.threadId() != null ? o.threadId() : l.threadId(), l.continuedFrom(),
        l.agentId() != null ? l.agentId() : run.id(), o.budget() == null ? null : Json.write(o.budget())};
  }

  private static ObjectNode attemptData(String nodeId) {
    return NODES.objectNode().put("nodeId", nodeId);
  }

  /** Tells other nodes about a change as this transaction commits (PostgreSQL); a no-op on SQLite's single process. */
  public void notify(Tx tx, Signal.Kind kind, String runId) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) tx.query("SELECT pg_notify('" + Signal.CHANNEL + "', ?)", rs -> null, kind.name() + ":" + runId);
  }

  /** Appends a history event only if {@code attempt} still owns the running run (fencing a node that lost its lease). */
  public OptionalLong appendOwnedHistory(Tx tx, String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq,
      JsonNode data) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) return insertHistoryTakingSeq(tx, runId, attempt, type, at, attempt, stepSeq, data);

    OptionalLong seq = tx.queryLong("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? AND " + OWNED
        + " RETURNING last_event_seq", runId, attempt);
    if (seq.isPresent()) insertHistory(tx, runId, seq.getAsLong(), type, at, attempt, stepSeq, data);
    return seq;
  }

  /**
   * Like {@link #appendOwnedHistory}, for an event that moves the run to {@code status}: when the
   * run has a webhook URL, the delivery telling it so is queued in the same transaction.
   */
  public OptionalLong appendOwnedStatusChange(Tx tx, String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq,
      JsonNode data, RunStatus status) throws SQLException {
    List<Appended> appended = tx.query("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? AND " + OWNED
        + " RETURNING last_event_seq, webhook_url", Appended::read, runId, attempt);
    if (appended.isEmpty()) return OptionalLong.empty();
    Appended a = appended.get(0);
    insertHistory(tx, runId, a.seq(), type, at, attempt, stepSeq, data);
    if (a.webhookUrl() != null) outbox.enqueue(tx, runId, a.webhookUrl(), status, a.seq(), at);
    return OptionalLong.of(a.seq());
  }

  /** Like {@link #appendHistory}, for an event that moves the run to {@code status} (queuing its webhook delivery, if any). */
  public long appendStatusChange(Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, JsonNode data,
      RunStatus status) throws SQLException {
    Appended a = appendHistoryReturningWebhook(tx, runId, type, at, attempt, data);
    if (a.webhookUrl() != null) outbox.enqueue(tx, runId, a.webhookUrl(), status, a.seq(), at);
    return a.seq();
  }

  /** Appends a run-level event (no step) and returns its sequence with the run's webhook URL, in one statement. */
  Appended appendHistoryReturningWebhook(Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, JsonNode data)
      throws SQLException {
    List<Appended> appended = tx.query("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq, webhook_url",
        Appended::read, runId);
    if (appended.isEmpty()) throw new SQLException("run " + runId + " does not exist");
    Appended a = appended.get(0);
    insertHistory(tx, runId, a.seq(), type, at, attempt, null, data);
    return a;
  }

  /** Queues the webhook delivery of a status change whose history event was appended at {@code seq}. */
  void statusChanged(Tx tx, String runId, String webhookUrl, RunStatus status, long seq, Instant at) throws SQLException {
    if (webhookUrl != null) outbox.enqueue(tx, runId, webhookUrl, status, seq, at);
  }

  record Appended(long seq, String webhookUrl) {
    static Appended read(ResultSet rs) throws SQLException {
      return new Appended(rs.getLong(1), rs.getString(2));
    }
  }

  public long appendHistory(Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data)
      throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      return insertHistoryTakingSeq(tx, runId, null, type, at, attempt, stepSeq, data)
          .orElseThrow(() -> new SQLException("run " + runId + " does not exist"));
    }

    long seq = tx.queryLong("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq", runId)
        .orElseThrow(() -> new SQLException("run " + runId + " does not exist"));
    insertHistory(tx, runId, seq, type, at, attempt, stepSeq, data);
    return seq;
  }

  /** Opens the attempt and appends its {@code attempt_started} event; returns the event's sequence. */
  public long startAttempt(Tx tx, String runId, int attempt, String nodeId, Instant now) throws SQLException {
    tx.update("INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at) VALUES (?, ?, ?, ?, ?)",
        runId, attempt, nodeId, now, now);
    return appendHistory(tx, runId, HistoryEventType.ATTEMPT_STARTED, now, attempt, null, attemptData(nodeId));
  }

  public void endAttempt(Tx tx, String runId, int attempt, String outcome, Instant now) throws SQLException {
    tx.update("UPDATE attempts SET ended_at = ?, outcome = ? WHERE run_id = ? AND attempt = ? AND " + Sql.recheck("ended_at IS NULL"), now, outcome, runId, attempt);
  }

  /** The PostgreSQL form of {@link #resumeAttempt}: one statement, so a resumption costs no extra round trip. */
  static final String RESUME_ATTEMPT = "WITH r AS (INSERT INTO attempt_resumes (run_id, attempt, node_id, resumed_at) VALUES (?, ?, ?, ?)) "
      + "UPDATE attempts SET last_keep_alive_at = ? WHERE run_id = ? AND attempt = ?";

  /** Records that {@code nodeId} takes up the suspended {@code attempt} again; the attempt keeps the node it started on. */
  public void resumeAttempt(Tx tx, String runId, int attempt, String nodeId, Instant now) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      tx.update(RESUME_ATTEMPT, runId, attempt, nodeId, now, now, runId, attempt);
      return;
    }
    tx.update("INSERT INTO attempt_resumes (run_id, attempt, node_id, resumed_at) VALUES (?, ?, ?, ?)", runId, attempt, nodeId, now);
    tx.update("UPDATE attempts SET last_keep_alive_at = ? WHERE run_id = ? AND attempt = ?", now, runId, attempt);
  }

  /** Wakes a run so it replays soon: bumps its signal sequence, and makes it due if it is suspended. */
  public void wake(Tx tx, String runId, Instant now) throws SQLException {
    tx.update("UPDATE runs SET signal_seq = signal_seq + 1, updated_at = ?, version = version + 1, ready_at = CASE WHEN suspended = 1 THEN ? ELSE ready_at END "
        + "WHERE id = ? AND " + UNFINISHED, now, now, runId);
    notify(tx, Signal.Kind.EVENT, runId);
  }

  private static void insertHistory(Tx tx, String runId, long seq, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq,
      JsonNode data) throws SQLException {
    tx.historyChanged(runId);
    tx.update("INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        runId, seq, type.wireName(), at, attempt, stepSeq, data == null ? null : Json.write(data));
  }

  /**
   * PostgreSQL: {@link #insertHistory} with the run's sequence bump in the same statement (a
   * data-modifying CTE), one round trip instead of two; with {@code fenceAttempt} only while that
   * attempt owns the running run. Empty if no row matched. Keep in step with {@code insertHistory}
   * (same row; anything added there per inserted event belongs here too).
   */
  private static OptionalLong insertHistoryTakingSeq(Tx tx, String runId, Integer fenceAttempt, HistoryEventType type, Instant at,
      Integer attempt, Integer stepSeq, JsonNode data) throws SQLException {
    String bump = fenceAttempt == null
        ? "UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq"
        : "UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? AND " + OWNED + " RETURNING last_event_seq";
    String sql = "WITH s AS (" + bump + ") INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) "
        + "SELECT ?::text, last_event_seq, ?::text, ?::bigint, ?::bigint, ?::bigint, ?::text FROM s RETURNING event_seq";
    String json = data == null ? null : Json.write(data);
    OptionalLong seq = fenceAttempt == null
        ? tx.queryLong(sql, runId, runId, type.wireName(), at, attempt, stepSeq, json)
        : tx.queryLong(sql, runId, fenceAttempt, runId, type.wireName(), at, attempt, stepSeq, json);
    if (seq.isPresent()) tx.historyChanged(runId);
    return seq;
  }
}
