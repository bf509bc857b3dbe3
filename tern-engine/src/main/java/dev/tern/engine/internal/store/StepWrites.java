package dev.tern.engine.internal.store;

import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;

/** Writes a step's row: inserted at its sequence, or updated in place as it moves from waiting to done. */
final class StepWrites {
  static final String COLUMNS = "run_id, seq, name, kind, status, input, output, error, attempts, started_at, completed_at, run_attempt, "
      + "step_type, input_tokens, output_tokens, cost_usd";
  static final int COLUMN_COUNT = 16;
  /** The row's values as typed parameters, for inserting from a select (PostgreSQL cannot infer their types there). */
  static final String TYPED_MARKS = "?::text, ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::bigint, ?::bigint, "
      + "?::bigint, ?::bigint, ?::text, ?::bigint, ?::bigint, ?::float8";
  static final String ON_CONFLICT = "ON CONFLICT (run_id, seq) DO UPDATE SET status = excluded.status, output = excluded.output, "
      + "error = excluded.error, attempts = excluded.attempts, completed_at = excluded.completed_at, input_tokens = excluded.input_tokens, "
      + "output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd";

  void upsert(Tx tx, StepRecord s) throws SQLException {
    tx.update("INSERT INTO steps (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " + ON_CONFLICT, args(s));
  }

  /**
   * Appends the checkpoint's events, records the change of what the run waits on ({@code wait}, or
   * null) and upserts its row, statement by statement; false (nothing written) if the attempt lost the run.
   */
  boolean recordStepwise(Tx tx, RunRows rows, StepRecord s, java.util.List<HistoryAppend> events, WaitChange wait) throws SQLException {
    for (HistoryAppend e : events) {
      if (rows.appendOwnedHistory(tx, s.runId(), s.runAttempt(), e.type(), e.at(), e.stepSeq(), e.data()).isEmpty()) return false;
    }
    if (wait != null) tx.update(SET_WAIT, wait.waitingOn(), wait.since(), wait.at(), s.runId());
    upsert(tx, s);
    return true;
  }

  /** What the run waits on: a change of the run record, so it bumps the version (SQLite; PostgreSQL folds it into the checkpoint's statement). */
  private static final String SET_WAIT = "UPDATE runs SET waiting_on = ?, waiting_since = ?, updated_at = ?, version = version + 1 WHERE id = ?";

  /** The row's values in {@link #COLUMNS} order. */
  static Object[] args(StepRecord s) {
    return new Object[] {s.runId(), s.seq(), s.name(), s.kind().wireName(), s.status(), Json.writeNullable(s.input()),
        Json.writeNullable(s.output()), Json.writeNullable(s.error()), s.attempts(), s.startedAt(), s.completedAt(), s.runAttempt(), s.type(),
        s.usage() == null ? null : s.usage().inputTokens(), s.usage() == null ? null : s.usage().outputTokens(),
        s.usage() == null ? null : s.usage().costUsd()};
  }
}
