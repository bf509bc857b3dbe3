package dev.tern.engine.internal.store;

import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;

/**
 * A step's row: inserted at its sequence, or updated in place as it moves from waiting to done. PostgreSQL's checkpoint
 * and end statements ({@link RunsSql.Postgres}) upsert the same row with the same parameters ({@link #params}).
 */
final class StepRows {
    private StepRows() {}

    /** {@link #UPSERT} before its values: the table and its columns, in the order of each row's values. */
    static final String INSERT_INTO = """
      INSERT INTO steps (run_id, seq, name, kind, status, input, output, error, attempts, started_at, completed_at,
        run_attempt, step_type, input_tokens, output_tokens, cost_usd)
      VALUES\s""";

    /** {@link #UPSERT} after its values: a row already at the step's sequence is updated in place. */
    static final String ON_CONFLICT = """

      ON CONFLICT (run_id, seq) DO UPDATE SET status = excluded.status, output = excluded.output,
        error = excluded.error, attempts = excluded.attempts, completed_at = excluded.completed_at,
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd""";

    /** {@link #UPSERT}'s one row of values, by name. */
    private static final String ROW = """
      (:runId, :seq, :stepName, :stepKind, :stepStatus, :stepInput, :stepOutput, :stepError, :stepAttempts,
        :stepStartedAt, :stepCompletedAt, :runAttempt, :stepType, :inputTokens, :outputTokens, :costUsd)""";

    static final NamedSql UPSERT = NamedSql.parse(INSERT_INTO + ROW + ON_CONFLICT);

    /** The step's row with its input stored whole. */
    static void upsert(Tx tx, StepRecord s) throws SQLException {
        upsert(tx, params(NamedSql.Params.sized(VALUES), s));
    }

    /** A checkpoint's step row, its input stored as the checkpoint says ({@link Checkpoint#storedInput}). */
    static void upsert(Tx tx, Checkpoint c) throws SQLException {
        upsert(tx, params(NamedSql.Params.sized(VALUES), c));
    }

    /**
     * The step row whose values {@code p} holds (named as in {@link #UPSERT}, among others), now or with the batch's
     * other rows at its end ({@link DeferredRows}).
     */
    static void upsert(Tx tx, NamedSql.Params p) throws SQLException {
        if (tx.defersRows()) tx.defer(DeferredRows.Table.STEPS, UPSERT.args(p), 0, 1);
        else tx.update(UPSERT, p);
    }

    /**
     * The values of checkpoint {@code c} with {@code events}: the step's row, its run's attempt, and each event's
     * values numbered from 1 ({@link HistoryRows#bindEvent}).
     */
    static NamedSql.Params checkpointParams(Checkpoint c, java.util.List<HistoryAppend> events) {
        StepRecord s = c.step();
        NamedSql.Params p = params(
                NamedSql.Params.sized(1 + VALUES + HistoryRows.VALUES_PER_EVENT * events.size())
                        .and("attempt", s.runAttempt()),
                c);
        for (int i = 0; i < events.size(); i++) HistoryRows.bindEvent(p, i + 1, events.get(i), s.runAttempt());
        return p;
    }

    /** How many values {@link #params} adds. */
    static final int VALUES = 16;

    /** Adds the checkpoint's step's values to {@code p}, named as in {@link #UPSERT}; returns {@code p}. */
    static NamedSql.Params params(NamedSql.Params p, Checkpoint c) {
        return params(p, c.step(), c.storedInput());
    }

    private static NamedSql.Params params(NamedSql.Params p, StepRecord s) {
        return params(p, s, Json.writeNullable(s.input()));
    }

    private static NamedSql.Params params(NamedSql.Params p, StepRecord s, String inputText) {
        var usage = s.usage();
        return p.and("runId", s.runId())
                .and("seq", s.seq())
                .and("stepName", s.name())
                .and("stepKind", s.kind().wireName())
                .and("stepStatus", s.status().wireName())
                .and("stepInput", inputText)
                .and("stepOutput", Json.writeNullable(s.output()))
                .and("stepError", Json.writeNullable(s.error()))
                .and("stepAttempts", s.attempts())
                .and("stepStartedAt", s.startedAt())
                .and("stepCompletedAt", s.completedAt())
                .and("runAttempt", s.runAttempt())
                .and("stepType", s.type())
                .and("inputTokens", usage == null ? null : usage.inputTokens())
                .and("outputTokens", usage == null ? null : usage.outputTokens())
                .and("costUsd", usage == null ? null : usage.costUsd());
    }
}
