package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The store on any JDBC database: writes through the group-commit writer, reads on a pool. */
public final class JdbcRunStore implements RunStore {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Dialect dialect;
  private final GroupCommitWriter writer;
  private final RunReader reader;
  private final AutoCloseable resources;
  private final String description;

  private final java.util.function.Function<java.util.function.Consumer<Signal>, AutoCloseable> listenerFactory;

  JdbcRunStore(Dialect dialect, GroupCommitWriter writer, RunReader reader, AutoCloseable resources, String description,
      java.util.function.Function<java.util.function.Consumer<Signal>, AutoCloseable> listenerFactory) {
    this.listenerFactory = listenerFactory;
    this.dialect = dialect;
    this.writer = writer;
    this.reader = reader;
    this.resources = resources;
    this.description = description;
  }

  @Override
  public CompletableFuture<Void> createRun(NewRun run) {
    return writer.submit(tx -> {
      boolean owned = run.owner() != null;
      tx.update("INSERT INTO runs (id, kind, name, status, input, created_at, started_at, updated_at, attempt, owner, ready_at) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          run.id(), run.kind(), run.name(), owned ? "running" : "queued", run.inputJson(), run.createdAt(),
          owned ? run.createdAt() : null, run.createdAt(), owned ? 1 : 0, run.owner(), owned ? run.leaseUntil() : run.createdAt());
      ObjectNode data = NODES.objectNode().put("kind", run.kind()).put("name", run.name());
      data.set("input", Json.parse(run.inputJson()));
      appendHistory(tx, run.id(), HistoryEventType.RUN_CREATED, run.createdAt(), null, null, data);
      if (owned) startAttempt(tx, run.id(), 1, run.owner(), run.createdAt());
      else notify(tx, Signal.Kind.WORK, run.id());
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> recordStep(StepRecord s, HistoryEventType event, JsonNode eventData) {
    return writer.submit(tx -> {
      Instant at = s.completedAt() != null ? s.completedAt() : s.startedAt();
      if (appendOwnedHistory(tx, s.runId(), s.runAttempt(), event, at, s.seq(), eventData).isEmpty()) return false;
      tx.update("INSERT INTO steps (run_id, seq, name, kind, status, input, output, error, attempts, started_at, completed_at, run_attempt) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, seq) DO UPDATE SET status = excluded.status, "
              + "output = excluded.output, error = excluded.error, attempts = excluded.attempts, completed_at = excluded.completed_at",
          s.runId(), s.seq(), s.name(), s.kind().wireName(), s.status(), json(s.input()), json(s.output()), json(s.error()),
          s.attempts(), s.startedAt(), s.completedAt(), s.runAttempt());
      return true;
    });
  }

  @Override
  public CompletableFuture<Boolean> appendOwnedHistory(String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {
    return writer.submit(tx -> appendOwnedHistory(tx, runId, attempt, type, at, stepSeq, data).isPresent());
  }

  @Override
  public CompletableFuture<Void> appendHistory(String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data) {
    return writer.submit(tx -> {
      appendHistory(tx, runId, type, at, attempt, stepSeq, data);
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> suspend(String runId, int attempt, Instant wakeAt, long expectedSignalSeq, Instant now) {
    return writer.submit(tx -> {
      int rows = tx.update("UPDATE runs SET suspended = 1, owner = NULL, ready_at = ?, wake_at = ?, updated_at = ? "
              + "WHERE id = ? AND attempt = ? AND signal_seq = ? AND status = 'running' AND suspended = 0",
          wakeAt, wakeAt, now, runId, attempt, expectedSignalSeq);
      if (rows == 0) return false;
      ObjectNode data = NODES.objectNode();
      if (wakeAt != null) data.put("wakeAt", wakeAt.toString());
      appendHistory(tx, runId, HistoryEventType.RUN_SUSPENDED, now, attempt, null, data);
      if (wakeAt != null) notify(tx, Signal.Kind.TIMER, runId);
      return true;
    });
  }

  @Override
  public CompletableFuture<Boolean> finishRun(String runId, int attempt, RunStatus status, String outputJson, ErrorInfo error, Instant now) {
    return writer.submit(tx -> {
      int rows = tx.update("UPDATE runs SET status = ?, output = ?, error = ?, completed_at = ?, updated_at = ?, owner = NULL, "
              + "ready_at = NULL, suspended = 0, wake_at = NULL WHERE id = ? AND attempt = ? AND status IN ('queued', 'running')",
          status.wireName(), outputJson, json(error), now, now, runId, attempt);
      if (rows == 0) return false;
      endAttempt(tx, runId, attempt, status.wireName(), now);
      ObjectNode data = NODES.objectNode();
      if (outputJson != null) data.set("output", Json.parse(outputJson));
      if (error != null) data.set("error", Json.tree(error));
      appendHistory(tx, runId, terminalEvent(status), now, attempt, null, data);
      notify(tx, Signal.Kind.DONE, runId);
      return true;
    });
  }

  @Override
  public CompletableFuture<SendOutcome> appendInbox(String runId, String eventName, String payloadJson, Instant now) {
    return writer.submit(tx -> {
      List<String> status = tx.query("SELECT status FROM runs WHERE id = ?", rs -> rs.getString(1), runId);
      if (status.isEmpty()) return new SendOutcome(0, false, false);
      if (RunStatus.fromWire(status.get(0)).orElseThrow().isTerminal()) return new SendOutcome(0, true, true);
      long seq = tx.queryLong("UPDATE runs SET inbox_seq = inbox_seq + 1, signal_seq = signal_seq + 1, updated_at = ?, "
              + "ready_at = CASE WHEN suspended = 1 THEN ? ELSE ready_at END WHERE id = ? RETURNING inbox_seq",
          now, now, runId).orElseThrow();
      tx.update("INSERT INTO inbox (run_id, inbox_seq, name, payload, at) VALUES (?, ?, ?, ?, ?)", runId, seq, eventName, payloadJson, now);
      ObjectNode data = NODES.objectNode().put("eventName", eventName).put("inboxSequence", seq);
      data.set("eventInput", Json.parse(payloadJson));
      appendHistory(tx, runId, HistoryEventType.EVENT_RECEIVED, now, null, null, data);
      notify(tx, Signal.Kind.EVENT, runId);
      return new SendOutcome(seq, true, false);
    });
  }

  @Override
  public CompletableFuture<CancelOutcome> requestCancel(String runId, String reason, Instant now) {
    return writer.submit(tx -> {
      record State(String status, boolean suspended, int attempt) {}
      List<State> rows = tx.query("SELECT status, suspended, attempt FROM runs WHERE id = ?",
          rs -> new State(rs.getString(1), rs.getLong(2) != 0, rs.getInt(3)), runId);
      if (rows.isEmpty()) return CancelOutcome.NOT_FOUND;
      State s = rows.get(0);
      RunStatus status = RunStatus.fromWire(s.status()).orElseThrow();
      if (status.isTerminal()) return CancelOutcome.ALREADY_FINISHED;
      ObjectNode data = NODES.objectNode().put("reason", reason);
      appendHistory(tx, runId, HistoryEventType.CANCEL_REQUESTED, now, s.attempt() == 0 ? null : s.attempt(), null, data);
      if (status == RunStatus.QUEUED || s.suspended()) {
        ErrorInfo error = new ErrorInfo("Cancelled", reason, null);
        tx.update("UPDATE runs SET status = 'cancelled', error = ?, completed_at = ?, updated_at = ?, owner = NULL, ready_at = NULL, "
            + "suspended = 0, wake_at = NULL, cancel_requested = 1 WHERE id = ?", json(error), now, now, runId);
        if (s.attempt() > 0) endAttempt(tx, runId, s.attempt(), "cancelled", now);
        appendHistory(tx, runId, HistoryEventType.RUN_CANCELLED, now, s.attempt() == 0 ? null : s.attempt(), null,
            NODES.objectNode().set("error", Json.tree(error)));
        notify(tx, Signal.Kind.DONE, runId);
        return CancelOutcome.CANCELLED;
      }
      tx.update("UPDATE runs SET cancel_requested = 1, signal_seq = signal_seq + 1, updated_at = ? WHERE id = ?", now, runId);
      notify(tx, Signal.Kind.CANCEL, runId);
      return CancelOutcome.REQUESTED;
    });
  }

  @Override
  public CompletableFuture<List<Claim>> claim(String nodeId, Instant now, int limit, Instant leaseUntil) {
    return writer.submit(tx -> {
      record Due(String id, String status, boolean suspended, int attempt) {}
      List<Due> due = tx.query("SELECT id, status, suspended, attempt FROM runs WHERE status IN ('queued', 'running') AND ready_at <= ? "
              + "ORDER BY ready_at LIMIT ?" + dialect.claimLock(),
          rs -> new Due(rs.getString(1), rs.getString(2), rs.getLong(3) != 0, rs.getInt(4)), now, limit);
      List<Claim> claims = new ArrayList<>(due.size());
      for (Due d : due) {
        if (d.suspended()) {
          tx.update("UPDATE runs SET suspended = 0, owner = ?, ready_at = ?, wake_at = NULL, updated_at = ? WHERE id = ?",
              nodeId, leaseUntil, now, d.id());
          tx.update("UPDATE attempts SET node_id = ?, last_keep_alive_at = ? WHERE run_id = ? AND attempt = ?", nodeId, now, d.id(), d.attempt());
          claims.add(new Claim(d.id(), d.attempt(), true));
          continue;
        }
        if (d.attempt() > 0) endAttempt(tx, d.id(), d.attempt(), "abandoned", now);
        int attempt = d.attempt() + 1;
        tx.update("UPDATE runs SET status = 'running', attempt = ?, owner = ?, ready_at = ?, started_at = COALESCE(started_at, ?), "
            + "updated_at = ? WHERE id = ?", attempt, nodeId, leaseUntil, now, now, d.id());
        startAttempt(tx, d.id(), attempt, nodeId, now);
        claims.add(new Claim(d.id(), attempt, false));
      }
      return claims;
    });
  }

  @Override
  public CompletableFuture<List<OwnedRun>> renewLeases(String nodeId, Instant now, Instant leaseUntil) {
    return writer.submit(tx -> {
      tx.update("UPDATE attempts SET last_keep_alive_at = ? WHERE node_id = ? AND ended_at IS NULL", now, nodeId);
      tx.update("UPDATE limit_holders SET expires_at = ? WHERE node_id = ?", leaseUntil, nodeId);
      return tx.query("UPDATE runs SET ready_at = ? WHERE owner = ? AND status = 'running' AND suspended = 0 "
          + "RETURNING id, attempt, cancel_requested", rs -> new OwnedRun(rs.getString(1), rs.getInt(2), rs.getLong(3) != 0), leaseUntil, nodeId);
    });
  }

  @Override
  public CompletableFuture<Optional<Instant>> acquirePermit(dev.tern.sdk.Limit limit, String holder, String nodeId, Instant now, Instant expiresAt) {
    return writer.submit(tx -> {
      String key = limit.key();
      double burst = Math.max(1.0, Math.floor(limit.perSecond() / 10));
      tx.update("INSERT INTO limits (key, tokens, refilled_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", key, burst, now);
      record Bucket(double tokens, long refilledAt) {}
      Bucket bucket = tx.query("SELECT tokens, refilled_at FROM limits WHERE key = ?" + dialect.rowLock(),
          rs -> new Bucket(rs.getDouble(1), rs.getLong(2)), key).get(0);
      if (limit.maxConcurrent() > 0) {
        tx.update("DELETE FROM limit_holders WHERE key = ? AND expires_at < ?", key, now);
        long held = tx.queryLong("SELECT COUNT(*) FROM limit_holders WHERE key = ? AND holder <> ?", key, holder).orElse(0);
        if (held >= limit.maxConcurrent()) return Optional.of(now.plusMillis(25));
      }
      double tokens = bucket.tokens();
      if (limit.perSecond() > 0) {
        tokens = Math.min(burst, tokens + (now.toEpochMilli() - bucket.refilledAt()) / 1000.0 * limit.perSecond());
        if (tokens < 1.0) return Optional.of(now.plusMillis((long) Math.ceil((1.0 - tokens) / limit.perSecond() * 1000)));
        tokens -= 1.0;
        tx.update("UPDATE limits SET tokens = ?, refilled_at = ? WHERE key = ?", tokens, now, key);
      }
      if (limit.maxConcurrent() > 0) {
        tx.update("INSERT INTO limit_holders (key, holder, node_id, expires_at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (key, holder) DO UPDATE SET expires_at = excluded.expires_at, node_id = excluded.node_id", key, holder, nodeId, expiresAt);
      }
      return Optional.<Instant>empty();
    });
  }

  @Override
  public CompletableFuture<Void> releasePermit(String key, String holder) {
    return writer.submit(tx -> {
      tx.update("DELETE FROM limit_holders WHERE key = ? AND holder = ?", key, holder);
      return null;
    });
  }

  @Override
  public CompletableFuture<Integer> releaseRuns(String nodeId, List<String> runIds, Instant now) {
    return writer.submit(tx -> {
      int released = 0;
      for (String id : runIds) {
        released += tx.update("UPDATE runs SET ready_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status = 'running' AND suspended = 0",
            now, id, nodeId);
      }
      if (released > 0) notify(tx, Signal.Kind.WORK, "");
      return released;
    });
  }

  @Override
  public AutoCloseable listen(java.util.function.Consumer<Signal> handler) {
    return listenerFactory == null ? () -> { } : listenerFactory.apply(handler);
  }

  @Override
  public CompletableFuture<Integer> recoverOrphans(Instant now) {
    return writer.submit(tx -> tx.update("UPDATE runs SET ready_at = ?, owner = NULL WHERE status = 'running' AND suspended = 0", now));
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return reader.findRun(runId);
  }

  @Override
  public RunPage listRuns(RunQuery query) {
    return reader.listRuns(query);
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return reader.steps(runId);
  }

  @Override
  public List<HistoryEvent> history(String runId, long afterSeq, int limit) {
    return reader.history(runId, afterSeq, limit);
  }

  @Override
  public List<AttemptRecord> attempts(String runId) {
    return reader.attempts(runId);
  }

  @Override
  public List<InboxEvent> inbox(String runId, long afterSeq) {
    return reader.inbox(runId, afterSeq);
  }

  @Override
  public Optional<RunSignals> signals(String runId) {
    return reader.signals(runId);
  }

  @Override
  public Optional<Instant> nextDue() {
    return reader.nextDue();
  }

  @Override
  public long[] writeCounters() {
    return writer.counters();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    writer.close();
    try {
      resources.close();
    } catch (Exception e) {
      throw new StoreException("closing the store failed", e);
    }
  }

  private void notify(Tx tx, Signal.Kind kind, String runId) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) tx.query("SELECT pg_notify('" + Signal.CHANNEL + "', ?)", rs -> null, kind.name() + ":" + runId);
  }

  /** Appends a history event only if {@code attempt} still owns the running run (fencing a node that lost its lease). */
  private static java.util.OptionalLong appendOwnedHistory(Tx tx, String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq,
      JsonNode data) throws SQLException {
    java.util.OptionalLong seq = tx.queryLong("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? AND attempt = ? "
        + "AND status = 'running' RETURNING last_event_seq", runId, attempt);
    if (seq.isPresent()) insertHistory(tx, runId, seq.getAsLong(), type, at, attempt, stepSeq, data);
    return seq;
  }

  private void startAttempt(Tx tx, String runId, int attempt, String nodeId, Instant now) throws SQLException {
    tx.update("INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at) VALUES (?, ?, ?, ?, ?)",
        runId, attempt, nodeId, now, now);
    appendHistory(tx, runId, HistoryEventType.ATTEMPT_STARTED, now, attempt, null, NODES.objectNode().put("nodeId", nodeId));
  }

  private static void endAttempt(Tx tx, String runId, int attempt, String outcome, Instant now) throws SQLException {
    tx.update("UPDATE attempts SET ended_at = ?, outcome = ? WHERE run_id = ? AND attempt = ? AND ended_at IS NULL", now, outcome, runId, attempt);
  }

  private static void appendHistory(Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data)
      throws SQLException {
    long seq = tx.queryLong("UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq", runId)
        .orElseThrow(() -> new SQLException("run " + runId + " does not exist"));
    insertHistory(tx, runId, seq, type, at, attempt, stepSeq, data);
  }

  private static void insertHistory(Tx tx, String runId, long seq, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq,
      JsonNode data) throws SQLException {
    tx.update("INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        runId, seq, type.wireName(), at, attempt, stepSeq, data == null ? null : Json.write(data));
  }

  private static HistoryEventType terminalEvent(RunStatus status) {
    return switch (status) {
      case COMPLETED -> HistoryEventType.RUN_COMPLETED;
      case CANCELLED -> HistoryEventType.RUN_CANCELLED;
      default -> HistoryEventType.RUN_FAILED;
    };
  }

  private static String json(Object value) {
    return value == null ? null : Json.write(value);
  }
}
