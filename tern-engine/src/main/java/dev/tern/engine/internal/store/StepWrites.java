package dev.tern.engine.internal.store;

import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;

/** Writes a step's row: inserted at its sequence, or updated in place as it moves from waiting to done. */
final class StepWrites {

  void upsert(Tx tx, StepRecord s) throws SQLException {
    tx.update("INSERT INTO steps (run_id, seq, name, kind, status, input, output, error, attempts, started_at, completed_at, run_attempt, "
            + "step_type, input_tokens, output_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (run_id, seq) DO UPDATE SET status = excluded.status, output = excluded.output, error = excluded.error, "
            + "attempts = excluded.attempts, completed_at = excluded.completed_at, input_tokens = excluded.input_tokens, "
            + "output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd",
        s.runId(), s.seq(), s.name(), s.kind().wireName(), s.status(), Json.writeNullable(s.input()), Json.writeNullable(s.output()), Json.writeNullable(s.error()),
        s.attempts(), s.startedAt(), s.completedAt(), s.runAttempt(), s.type(),
        s.usage() == null ? null : s.usage().inputTokens(), s.usage() == null ? null : s.usage().outputTokens(),
        s.usage() == null ? null : s.usage().costUsd());
  }
}
