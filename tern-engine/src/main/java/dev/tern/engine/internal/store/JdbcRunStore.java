package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
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
  private final RunRows rows;
  private final RunEndings endings;
  private final RunContinuations continuations;
  private final StepWrites steps = new StepWrites();
  private final InteractionWrites interactions;
  private final LimitPermits permits;
  private final WaitWrites waits;
  private final ScheduleStore schedules;
  private final WebhookQueue webhooks;

  private final java.util.function.Function<java.util.function.Consumer<Signal>, AutoCloseable> listenerFactory;

  private final TokenRelay tokenRelay;

  JdbcRunStore(Dialect dialect, GroupCommitWriter writer, RunReader reader, AutoCloseable resources, String description,
      java.util.function.Function<java.util.function.Consumer<Signal>, AutoCloseable> listenerFactory, TokenRelay tokenRelay) {
    this.listenerFactory = listenerFactory;
    this.tokenRelay = tokenRelay;
    this.dialect = dialect;
    this.writer = writer;
    this.reader = reader;
    this.resources = resources;
    this.description = description;
    this.rows = new RunRows(dialect);
    this.endings = new RunEndings(rows, steps);
    this.continuations = new RunContinuations(rows, endings, steps);
    this.interactions = new InteractionWrites(writer, rows, steps);
    this.permits = new LimitPermits(writer, dialect);
    this.waits = new WaitWrites(writer, rows);
    this.schedules = new JdbcScheduleStore(dialect, writer, reader);
    this.webhooks = new WebhookQueue(writer, reader, dialect);
  }

  /** The writer and row helpers, for the stores of other features that share this database. */
  public GroupCommitWriter writer() {
    return writer;
  }

  public RunRows rows() {
    return rows;
  }

  @Override
  public CompletableFuture<String> createRun(NewRun run) {
    // on PostgreSQL a run without a webhook is created in one statement (see PostgresWrites#insertRun)
    return dialect == Dialect.POSTGRESQL && run.options().webhookUrl() == null
        ? writer.submitSingle(tx -> rows.insertRun(tx, run))
        : writer.submit(tx -> rows.insertRun(tx, run));
  }

  @Override
  public CompletableFuture<Boolean> recordStep(Checkpoint checkpoint) {
    List<HistoryAppend> events = events(checkpoint);
    WaitChange wait = checkpoint.waitChange();
    if (dialect == Dialect.POSTGRESQL) return writer.submitSingle(tx -> PostgresWrites.recordStep(tx, checkpoint.step(), events, wait));
    return writer.submit(tx -> steps.recordStepwise(tx, rows, checkpoint.step(), events, wait));
  }

  /** The checkpoint's events; called when it is submitted, so a "started" event still queued is taken over, keeping the order. */
  private static List<HistoryAppend> events(Checkpoint c) {
    StepRecord s = c.step();
    HistoryAppend recorded = new HistoryAppend(c.event(), s.completedAt() != null ? s.completedAt() : s.startedAt(), s.seq(), c.data());
    return c.started() != null && c.started().claim() ? List.of(c.started().append(), recorded) : List.of(recorded);
  }

  @Override
  public CompletableFuture<Boolean> finishRunAfter(Checkpoint last, RunStatus status, String outputJson, ErrorInfo error, Instant now,
      boolean leaf) {
    StepRecord s = last.step();
    List<HistoryAppend> events = events(last);
    return ending(leaf, tx -> endings.finishAfter(tx, s, events, s.runId(), s.runAttempt(), status, outputJson, error, now));
  }

  /** On PostgreSQL a leaf run's end is one statement with nothing to follow (no webhook, parent or children): it may commit alone. */
  private CompletableFuture<Boolean> ending(boolean leaf, GroupCommitWriter.Work<Boolean> work) {
    return leaf && dialect == Dialect.POSTGRESQL ? writer.submitSingle(work) : writer.submit(work);
  }

  @Override
  public QueuedEvent appendOwnedHistory(String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {
    QueuedEvent event = new QueuedEvent(type, at, stepSeq, data);
    // nobody awaits these (step started/retrying, event handled): let them share the next write's commit
    writer.submitLazy(tx -> !event.claim() || rows.appendOwnedHistory(tx, runId, attempt, type, at, stepSeq, data).isPresent(),
        event::isClaimed);
    return event;
  }

  @Override
  public CompletableFuture<Void> appendHistory(String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data) {
    return writer.submit(tx -> {
      rows.appendHistory(tx, runId, type, at, attempt, stepSeq, data);
      return null;
    });
  }

  /** Timers due sooner than this are announced to every node when a run suspends; later ones are found by polling. */
  static final java.time.Duration NEAR_TIMER = java.time.Duration.ofSeconds(1);

  @Override
  public CompletableFuture<Boolean> suspend(String runId, int attempt, Instant wakeAt, long expectedSignalSeq, Instant now) {
    return writer.submit(tx -> {
      int changed = tx.update(SUSPEND,
          wakeAt, wakeAt, now, runId, attempt, expectedSignalSeq);
      if (changed == 0) return false;
      ObjectNode data = NODES.objectNode();
      if (wakeAt != null) data.put("wakeAt", wakeAt.toString());
      rows.appendHistory(tx, runId, HistoryEventType.RUN_SUSPENDED, now, attempt, null, data);
      // every node re-reads the next due time at least once per poll interval: only a near timer needs a wake-up call
      // (one per far-future sleep made every node run a claim pass per sleeping run)
      if (wakeAt != null && wakeAt.isBefore(now.plus(NEAR_TIMER))) rows.notify(tx, Signal.Kind.TIMER, runId);
      return true;
    });
  }

  @Override
  public CompletableFuture<Boolean> finishRun(String runId, int attempt, RunStatus status, String outputJson, ErrorInfo error, Instant now,
      boolean leaf) {
    return ending(leaf, tx -> endings.finish(tx, runId, attempt, status, outputJson, error, now));
  }

  @Override
  public CompletableFuture<SendOutcome> appendInbox(String runId, String eventName, String payloadJson, Instant now) {
    return writer.submit(tx -> InboxWrites.append(tx, rows, runId, eventName, payloadJson, now));
  }


  @Override
  public CompletableFuture<Boolean> continueAsNew(Continuation continuation) {
    return writer.submit(tx -> continuations.continueAsNew(tx, continuation));
  }

  @Override
  public CompletableFuture<CancelOutcome> requestCancel(String runId, String reason, Instant now) {
    return writer.submit(tx -> endings.cancel(tx, runId, reason, now));
  }

  static final String CLAIM_DUE = "SELECT id, status, suspended, attempt, webhook_url FROM runs WHERE ready_at <= ? AND " + RunRows.UNFINISHED
      + " ORDER BY ready_at LIMIT ?";
  static final String SUSPEND = "UPDATE runs SET suspended = 1, owner = NULL, ready_at = ?, wake_at = ?, updated_at = ?, version = version + 1 "
      + "WHERE id = ? AND " + Sql.recheck("attempt = ? AND signal_seq = ? AND status = 'running' AND suspended = 0");
  /** Keep-alive of the attempts this node executes now (it owns their runs); a suspended attempt holds no node's lease. */
  static final String KEEP_ALIVE = "UPDATE attempts SET last_keep_alive_at = ? WHERE (run_id, attempt) IN (SELECT id, attempt FROM runs "
      + "WHERE owner = ? AND " + Sql.recheck("status = 'running' AND suspended = 0") + ")";
  static final String RENEW = "UPDATE runs SET ready_at = ? WHERE owner = ? AND " + Sql.recheck("status = 'running' AND suspended = 0")
      + " RETURNING id, attempt, cancel_requested";

  @Override
  public CompletableFuture<List<Claim>> claim(String nodeId, Instant now, int limit, Instant leaseUntil) {
    return writer.submit(tx -> {
      record Due(String id, String status, boolean suspended, int attempt, String webhookUrl) {}
      List<Due> due = tx.queryPlannedEachTime(CLAIM_DUE + dialect.claimLock(),
          rs -> new Due(rs.getString(1), rs.getString(2), rs.getLong(3) != 0, rs.getInt(4), rs.getString(5)), now, limit);
      List<Claim> claims = new ArrayList<>(due.size());
      for (Due d : due) {
        if (d.suspended()) {
          tx.update("UPDATE runs SET suspended = 0, owner = ?, ready_at = ?, wake_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
              nodeId, leaseUntil, now, d.id());
          // the attempt goes on where it started: record the resumption (and its node) beside it, never over it
          rows.resumeAttempt(tx, d.id(), d.attempt(), nodeId, now);
          claims.add(new Claim(d.id(), d.attempt(), true));
          continue;
        }
        if (d.attempt() > 0) rows.endAttempt(tx, d.id(), d.attempt(), "abandoned", now);
        int attempt = d.attempt() + 1;
        tx.update("UPDATE runs SET status = 'running', attempt = ?, owner = ?, ready_at = ?, started_at = COALESCE(started_at, ?), "
            + "updated_at = ?, version = version + 1, waiting_on = CASE WHEN waiting_on LIKE 'limit:%' THEN NULL ELSE waiting_on END WHERE id = ?",
            attempt, nodeId, leaseUntil, now, now, d.id());
        long seq = rows.startAttempt(tx, d.id(), attempt, nodeId, now);
        if ("queued".equals(d.status())) rows.statusChanged(tx, d.id(), d.webhookUrl(), RunStatus.RUNNING, seq, now);
        claims.add(new Claim(d.id(), attempt, false));
      }
      return claims;
    });
  }

  @Override
  public CompletableFuture<List<OwnedRun>> renewLeases(String nodeId, Instant now, Instant leaseUntil) {
    return writer.submit(tx -> {
      tx.update(KEEP_ALIVE, now, nodeId);
      tx.update("UPDATE limit_holders SET expires_at = ? WHERE node_id = ?", leaseUntil, nodeId);
      return tx.query(RENEW, rs -> new OwnedRun(rs.getString(1), rs.getInt(2), rs.getLong(3) != 0), leaseUntil, nodeId);
    });
  }

  @Override
  public CompletableFuture<Optional<Instant>> acquirePermit(dev.tern.sdk.Limit limit, String holder, String nodeId, Instant now, Instant expiresAt) {
    return permits.acquire(limit, holder, nodeId, now, expiresAt);
  }

  @Override
  public CompletableFuture<Void> releasePermit(String key, String holder) {
    return permits.release(key, holder);
  }

  @Override
  public CompletableFuture<Boolean> markWaiting(String runId, int attempt, String waitingOn, HistoryEventType event, JsonNode data, Instant now) {
    return waits.mark(runId, attempt, waitingOn, event, data, now);
  }

  @Override
  public void noteWaiting(String runId, int attempt, String waitingOn, Instant since) {
    waits.note(runId, attempt, waitingOn, since);
  }

  @Override
  public CompletableFuture<Integer> releaseRuns(String nodeId, List<String> runIds, Instant now) {
    return writer.submit(tx -> {
      int released = 0;
      for (String id : runIds) {
        released += tx.update("UPDATE runs SET ready_at = ?, owner = NULL WHERE id = ? AND " + Sql.recheck("owner = ? AND status = 'running' AND suspended = 0"),
            now, id, nodeId);
      }
      if (released > 0) rows.notify(tx, Signal.Kind.WORK, "");
      return released;
    });
  }

  @Override
  public AutoCloseable listen(java.util.function.Consumer<Signal> handler) {
    return listenerFactory == null ? () -> { } : listenerFactory.apply(handler);
  }

  @Override
  public void onHistory(java.util.function.Consumer<String> listener) {
    writer.onHistory(runIds -> runIds.forEach(listener));
  }

  @Override
  public WebhookQueue webhooks() {
    return webhooks;
  }

  @Override
  public CompletableFuture<Integer> recoverOrphans(Instant now) {
    return writer.submit(tx -> tx.update("UPDATE runs SET ready_at = ?, owner = NULL WHERE status = 'running' AND suspended = 0", now));
  }

  @Override
  public CompletableFuture<Boolean> startChild(StepRecord step, NewRun child) {
    return writer.submit(tx -> {
      ObjectNode data = NODES.objectNode().put("childRunId", child.id()).put("name", child.name());
      if (rows.appendOwnedHistory(tx, step.runId(), step.runAttempt(), HistoryEventType.CHILD_STARTED, child.createdAt(), step.seq(), data)
          .isEmpty()) {
        return false;
      }
      rows.insertRun(tx, child);
      steps.upsert(tx, step);
      return true;
    });
  }

  @Override
  public CompletableFuture<Boolean> openInteraction(StepRecord step, InteractionRecord interaction) {
    return interactions.open(step, interaction);
  }

  @Override
  public CompletableFuture<AnswerOutcome> answerInteraction(String runId, String interactionId, String answerJson, Instant now) {
    return interactions.answer(runId, interactionId, answerJson, now);
  }

  @Override
  public CompletableFuture<Boolean> timeOutInteraction(String runId, int attempt, String interactionId, Instant now) {
    return interactions.timeOut(runId, attempt, interactionId, now);
  }

  @Override
  public List<InteractionRecord> interactions(String runId) {
    return reader.interactions(runId);
  }

  @Override
  public Optional<InteractionRecord> interaction(String runId, String interactionId) {
    return reader.interaction(runId, interactionId);
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
  public java.util.Map<Integer, Integer> stepStarts(String runId, int fromSeq) {
    return reader.stepStarts(runId, fromSeq);
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
  public ScheduleStore schedules() {
    return schedules;
  }

  @Override
  public Optional<Instant> nextDue() {
    return reader.nextDue();
  }

  @Override
  public Optional<WriteFailure> writeFailure() {
    String message = writer.failing();
    return message == null ? Optional.empty() : Optional.of(new WriteFailure(message, writer.diskFullRecently()));
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
  public TokenRelay tokenRelay() {
    return tokenRelay;
  }

  @Override
  public void close() {
    tokenRelay.close();
    writer.close();
    try {
      resources.close();
    } catch (Exception e) {
      throw new StoreException("closing the store failed", e);
    }
  }
}
