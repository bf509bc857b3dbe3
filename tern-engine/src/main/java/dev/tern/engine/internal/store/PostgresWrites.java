package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hot writes as one statement each on PostgreSQL, where a round trip to the server costs
 * more than the work: creating a run with its first events and attempt, checkpointing a step
 * with its events, and ending a run with its attempt, terminal event and open questions. Each is
 * a data-modifying CTE whose parts only write if the first one matched, so ownership fencing is
 * kept. SQLite, in process, does the same writes statement by statement ({@link RunRows},
 * {@link StepWrites}, {@link RunEndings}); both write the same rows, which the contract tests
 * check on both stores.
 */
final class PostgresWrites {
  private static final ConcurrentHashMap<Integer, String> STEP_SQL = new ConcurrentHashMap<>();

  private PostgresWrites() {}

  /** What ending a run found: its parent, webhook, terminal event sequence and unfinished children. */
  record Ended(String parentId, String webhookUrl, long eventSeq, List<String> openChildren) {}

  static final String INSERT_OWNED_SQL = insertSql(true);
  static final String INSERT_QUEUED_SQL = insertSql(false);

  private static String insertSql(boolean owned) {
    return "WITH r AS (INSERT INTO runs (" + RunRows.RUN_COLUMNS + ", last_event_seq) VALUES (" + marks(RunRows.RUN_COLUMN_COUNT + 1) + ") "
        + "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id), "
        + (owned ? "a AS (INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at) "
            + "SELECT id, 1, ?::text, ?::bigint, ?::bigint FROM r), " : "")
        + "h AS (INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) "
        + "SELECT r.id, e.i, e.type, ?::bigint, e.attempt, NULL, e.data FROM r, (VALUES (1, ?::text, NULL::bigint, ?::text)"
        + (owned ? ", (2, ?::text, 1::bigint, ?::text)" : "") + ") AS e(i, type, attempt, data)) "
        + "SELECT id" + (owned ? "" : ", pg_notify('" + Signal.CHANNEL + "', '" + Signal.Kind.WORK.name() + ":' || id)") + " FROM r";
  }

  /**
   * Inserts the run, its {@code run_created} event and, for a run this node starts at once, its
   * first attempt and {@code attempt_started} event, or notifies other nodes of the queued run;
   * false if the idempotency key is taken (nothing written).
   */
  static boolean insertRun(Tx tx, NewRun run, Object[] runArgs, JsonNode createdData, JsonNode attemptData) throws SQLException {
    boolean owned = run.owner() != null;
    String sql = owned ? INSERT_OWNED_SQL : INSERT_QUEUED_SQL;
    List<Object> args = new ArrayList<>(Arrays.asList(runArgs));
    args.add(owned ? 2L : 1L);
    if (owned) args.addAll(List.of(run.owner(), run.createdAt(), run.createdAt()));
    args.add(run.createdAt());
    args.add(HistoryEventType.RUN_CREATED.wireName());
    args.add(Json.write(createdData));
    if (owned) {
      args.add(HistoryEventType.ATTEMPT_STARTED.wireName());
      args.add(Json.write(attemptData));
    }
    boolean inserted = !tx.query(sql, rs -> rs.getString(1), args.toArray()).isEmpty();
    if (inserted) tx.historyChanged(run.id());
    return inserted;
  }

  /**
   * Appends {@code events} (the step's queued "started" event, if taken over, then the one that
   * records it) and upserts the step's row, if the step's attempt still owns the running run.
   */
  static boolean recordStep(Tx tx, StepRecord s, List<HistoryAppend> events, WaitChange wait) throws SQLException {
    int n = events.size();
    // cached by event count and whether it changes the wait: key 2n or 2n + 1
    String sql = STEP_SQL.computeIfAbsent(2 * n + (wait == null ? 0 : 1), k -> stepSql(k / 2, k % 2 == 1));
    List<Object> args = new ArrayList<>(6 + 5 * n + StepWrites.COLUMN_COUNT);
    if (wait != null) {
      args.add(wait.waitingOn());
      args.add(wait.since());
      args.add(wait.at());
    }
    args.add(s.runId());
    args.add(s.runAttempt());
    args.add(s.runId());
    for (HistoryAppend e : events) addEvent(args, e, s.runAttempt());
    args.addAll(Arrays.asList(StepWrites.args(s)));
    boolean owned = tx.queryLong(sql, args.toArray()).isPresent();
    if (owned) tx.historyChanged(s.runId());
    return owned;
  }

  static String stepSql(int events) {
    return stepSql(events, false);
  }

  /**
   * With {@code changesWait}, the checkpoint also sets what the run waits on (a sleep's timer
   * starting, a wait ending): a change of the run record, so the version moves, in the same
   * statement (no extra round trip or commit on the hot path).
   */
  static String stepSql(int events, boolean changesWait) {
    String wait = changesWait ? ", waiting_on = ?, waiting_since = ?, updated_at = ?, version = version + 1" : "";
    return "WITH s AS (UPDATE runs SET last_event_seq = last_event_seq + " + events + wait + " WHERE id = ? AND " + RunRows.OWNED
        + " RETURNING last_event_seq), "
        + "h AS (INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) "
        + "SELECT ?::text, s.last_event_seq - " + events + " + v.i, v.type, v.at, v.attempt, v.step_seq, v.data FROM s, "
        + historyValues(events) + "), "
        + "st AS (INSERT INTO steps (" + StepWrites.COLUMNS + ") SELECT " + StepWrites.TYPED_MARKS + " FROM s " + StepWrites.ON_CONFLICT + ") "
        + "SELECT last_event_seq FROM s";
  }

  static String finishSql(int stepEvents) {
    int events = stepEvents + 1;
    // a run with a step to checkpoint is running; a run ending without one may still be queued (cancelled before it started)
    String fence = stepEvents > 0 ? RunRows.OWNED : Sql.recheck("attempt = ? AND status IN ('queued', 'running')");
    return "WITH e AS (UPDATE runs SET status = ?, output = ?, error = ?, completed_at = ?, updated_at = ?, version = version + 1, "
        + "owner = NULL, ready_at = NULL, suspended = 0, wake_at = NULL, waiting_on = NULL, waiting_since = NULL, blocking_interaction = NULL, "
        + "last_event_seq = last_event_seq + " + events + " WHERE id = ? AND " + fence + " RETURNING parent_id, webhook_url, last_event_seq), "
        + "a AS (UPDATE attempts SET ended_at = ?, outcome = ? WHERE run_id = ? AND attempt = ? AND " + Sql.recheck("ended_at IS NULL")
        + " AND EXISTS (SELECT 1 FROM e)), "
        + "h AS (INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data) "
        + "SELECT ?::text, e.last_event_seq - " + events + " + v.i, v.type, v.at, v.attempt, v.step_seq, v.data FROM e, "
        + historyValues(events) + "), "
        + (stepEvents > 0
            ? "st AS (INSERT INTO steps (" + StepWrites.COLUMNS + ") SELECT " + StepWrites.TYPED_MARKS + " FROM e " + StepWrites.ON_CONFLICT + "), "
            : "")
        + "i AS (UPDATE interactions SET status = 'closed' WHERE run_id = ? AND status = 'open' AND EXISTS (SELECT 1 FROM e)) "
        + "SELECT parent_id, webhook_url, last_event_seq, pg_notify('" + Signal.CHANNEL + "', ?), "
        + "ARRAY(SELECT id FROM runs WHERE parent_id = ? AND " + RunRows.UNFINISHED + ") FROM e";
  }

  private static final ConcurrentHashMap<Integer, String> FINISH_SQL = new ConcurrentHashMap<>();

  /**
   * Ends the run if {@code attempt} still owns it and it is unfinished, closing its attempt and open
   * questions, appending {@code terminal}, and telling other nodes; null if nothing matched. With a
   * {@code step}, the run's last checkpoint (that step's row and {@code stepEvents}) is written first,
   * in the same statement.
   */
  static Ended finish(Tx tx, String runId, int attempt, String status, String outputJson, String errorJson, Instant now,
      HistoryAppend terminal, StepRecord step, List<HistoryAppend> stepEvents) throws SQLException {
    int n = step == null ? 0 : stepEvents.size();
    List<Object> args = new ArrayList<>(List.of(status, now, now, runId, attempt, now, status, runId, attempt, runId));
    args.add(1, outputJson);
    args.add(2, errorJson);
    for (HistoryAppend e : step == null ? List.<HistoryAppend>of() : stepEvents) addEvent(args, e, attempt);
    addEvent(args, terminal, attempt == 0 ? null : attempt);
    if (step != null) args.addAll(Arrays.asList(StepWrites.args(step)));
    args.add(runId);
    args.add(Signal.Kind.DONE.name() + ":" + runId);
    args.add(runId);
    List<Ended> ended = tx.query(FINISH_SQL.computeIfAbsent(n, PostgresWrites::finishSql), PostgresWrites::ended, args.toArray());
    if (ended.isEmpty()) return null;
    tx.historyChanged(runId);
    return ended.get(0);
  }

  /** {@code events} rows of parameters, numbered from 1, as filled by {@link #addEvent}. */
  private static String historyValues(int events) {
    StringBuilder values = new StringBuilder("(VALUES ");
    for (int i = 1; i <= events; i++) {
      if (i > 1) values.append(", ");
      values.append('(').append(i).append(", ?::text, ?::bigint, ?::bigint, ?::bigint, ?::text)");
    }
    return values.append(") AS v(i, type, at, attempt, step_seq, data)").toString();
  }

  private static void addEvent(List<Object> args, HistoryAppend e, Integer attempt) {
    args.add(e.type().wireName());
    args.add(e.at());
    args.add(attempt);
    args.add(e.stepSeq());
    args.add(e.data() == null ? null : Json.write(e.data()));
  }

  private static Ended ended(ResultSet rs) throws SQLException {
    String[] children = (String[]) rs.getArray(5).getArray();
    return new Ended(rs.getString(1), rs.getString(2), rs.getLong(3), List.of(children));
  }

  private static String marks(int count) {
    return String.join(", ", java.util.Collections.nCopies(count, "?"));
  }
}
