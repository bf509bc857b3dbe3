package dev.tern.engine.internal.store;

import java.util.List;

/**
 * A started run's creation and its end written as one statement on PostgreSQL, when the run ended before the writer
 * took its creation and the end follows the creation at once in the batch: a run of one quick step, whose creation
 * waits {@link Write#CREATION_LINGER_NANOS} for the run's first write. The run is inserted as it ended, with all its
 * events, its closed attempt and its step's row: one statement instead of two (each a round trip), and one new row
 * version instead of two with their index entries. The statement is fenced as {@link PostgresEndSql#END_ALONE} is (no
 * parent, no webhook, no unfinished child); when it writes nothing, each write runs on its own
 * ({@link FirstCheckpoint}, {@link PipelinedBatch}). When the two are the whole batch, as for runs in sequence, the
 * statement runs in autocommit mode: one round trip for the run, not two ({@link PipelinedBatch#alone}). On SQLite a
 * statement costs no round trip; its writes stay apart.
 */
final class WholeRun {
    private WholeRun() {}

    /** The end's step row, for whole runs whose end writes one. */
    private static final String STEP = ",\n        st AS (" + RunsSql.Postgres.upsertStep("r") + ")";

    /** Whole runs ending without a step to write. */
    private static final RunsSql.Postgres.EventsSql PLAIN = new RunsSql.Postgres.EventsSql(statement("", true));

    /** Whole runs whose end writes the run's last step's row. */
    private static final RunsSql.Postgres.EventsSql AFTER_STEP = new RunsSql.Postgres.EventsSql(statement(STEP, true));

    /** {@link #PLAIN} answering by its update count only: its form in a batch ({@link Pipelined}). */
    private static final RunsSql.Postgres.EventsSql PLAIN_WRITTEN =
            new RunsSql.Postgres.EventsSql(statement("", false));

    /** {@link #AFTER_STEP} answering by its update count only. */
    private static final RunsSql.Postgres.EventsSql AFTER_STEP_WRITTEN =
            new RunsSql.Postgres.EventsSql(statement(STEP, false));

    /**
     * The end's part of the join: its values named apart from the creation's ({@code :endStatus}, {@code :endNow}), its
     * events numbered from 1 (after the creation's two) and its step's row.
     */
    static NamedSql.Params endParams(RunEnd end, List<HistoryAppend> stepEvents, HistoryAppend terminal) {
        return PostgresRunWrites.endParams(end, stepEvents, terminal, "endStatus", "endNow");
    }

    /**
     * The joined statement for the creation's and the end's values ({@code both}), with {@code events} events of the
     * end's: when it wrote, it returns the run as it ended. Its top level inserts the run's attempt, one row exactly
     * when the run was inserted, and returns the run; its written form, for several in one batch, the same without the
     * run ({@link Pipelined}).
     */
    static Pipelined<FinishedRun> statement(String runId, NamedSql.Params both, int events, boolean afterStep) {
        NamedSql sql = (afterStep ? AFTER_STEP : PLAIN).forEvents(events, both);
        NamedSql written = (afterStep ? AFTER_STEP_WRITTEN : PLAIN_WRITTEN).forEvents(events, both);
        return Pipelined.returningRun(runId, sql, written, both, run -> new FinishedRun(true, run));
    }

    private static String statement(String stepRow, boolean returnsRun) {
        return """
        WITH r AS (
          INSERT INTO runs (id, kind, name, status, input, output, error, created_at, started_at, completed_at,
            updated_at, attempt, deadline_at, idempotency_key, parent_id, thread_id, continued_from, agent_id, budget,
            trace_parent, forked_from, forked_step, model_choice, org_id, last_event_seq, revision, release_channel,
            execution_profile, run_policy, version)
          SELECT :id::text, :kind::text, :name::text, :endStatus::text, :input::text, :output::text, :error::text,
            :createdAt::bigint, :startedAt::bigint, :endNow::bigint, :endNow::bigint, :attempt::bigint,
            :deadlineAt::bigint, :idempotencyKey::text, :parentId::text, :threadId::text, :continuedFrom::text,
            :agentId::text, :budget::text, :traceParent::text, :forkedFrom::text, :forkedStep::integer,
            :modelChoice::text, :orgId::text, 2 + {count}, :revision::text, :releaseChannel::text,
            :executionProfile::text, :runPolicy::text, 2
          WHERE :parentId::text IS NULL AND :webhookUrl::text IS NULL
            AND NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_id = :id::text
              AND (c.status IN ('queued', 'running')) IS TRUE)
          ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING %s),
        h AS (
          INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
          SELECT r.id, e.i, e.type, :createdAt::bigint, e.attempt, NULL, e.data
          FROM r, (VALUES (1, :createdEvent::text, NULL::bigint, :createdData::text),
                          (2, :attemptEvent::text, 1::bigint, :attemptData::text)) AS e(i, type, attempt, data)),
        v AS (
          {history})%s
          INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at, ended_at, outcome)
          SELECT id, 1, :owner::text, :createdAt::bigint, :createdAt::bigint, :endNow::bigint, :endStatus::text
          FROM r%s""".replace("{history}", RunsSql.Postgres.insertEvents("r.id", "2", "r")).formatted(
                returnsRun ? RunColumns.LIST : "id",
                stepRow,
                returnsRun ? "\n          RETURNING " + RunColumns.arrayFrom("r") : "");
    }
}
