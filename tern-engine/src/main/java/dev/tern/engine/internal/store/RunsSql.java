package dev.tern.engine.internal.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every statement that writes the {@code runs} table, on both databases, each readable whole: the shared ones first,
 * then PostgreSQL's own ({@link Postgres}); SQLite's are in {@link SqliteRunsSql}.
 *
 * <p>Conditions checked on a row the rest of a WHERE clause finds (by primary key, or by the index meant for it) are
 * written {@code (…) IS TRUE}: same meaning, but PostgreSQL never uses them to pick an index. The writer keeps
 * PostgreSQL's cached plans, and a generic plan made while a table is new and empty may otherwise scan every row with
 * that status (see V6__hot_path.sql, PostgresPlanTest). {@code (attempt = :attempt AND status = 'running') IS TRUE} is
 * the ownership fence: a write on behalf of an attempt that lost the run matches nothing.
 */
final class RunsSql {
    private RunsSql() {}

    /** Due runs (queued, woken, or whose lease expired), oldest first; the dialect's claim lock is appended. */
    static final String CLAIM_DUE = """
      SELECT id, status, suspended, attempt, webhook_url FROM runs
      WHERE ready_at <= :now AND (status IN ('queued', 'running')) IS TRUE
      ORDER BY ready_at LIMIT :limit""";

    /** A suspended run taken up again by {@code nodeId}: the same attempt goes on. */
    static final NamedSql CLAIM_RESUMED = NamedSql.parse("""
      UPDATE runs SET suspended = 0, owner = :nodeId, ready_at = :leaseUntil, wake_at = NULL, updated_at = :now,
        version = version + 1
      WHERE id = :runId""");

    /** A queued run, or one whose lease expired, taken by {@code nodeId} in a new attempt. */
    static final NamedSql CLAIM_NEW_ATTEMPT = NamedSql.parse("""
      UPDATE runs SET status = 'running', attempt = :attempt, owner = :nodeId, ready_at = :leaseUntil,
        started_at = COALESCE(started_at, :now), updated_at = :now, version = version + 1,
        waiting_on = CASE WHEN waiting_on LIKE 'limit:%' THEN NULL ELSE waiting_on END
      WHERE id = :runId""");

    static final NamedSql RENEW = NamedSql.parse("""
      UPDATE runs SET ready_at = :leaseUntil
      WHERE owner = :nodeId AND (status = 'running' AND suspended = 0) IS TRUE
      RETURNING id, attempt, cancel_requested""");

    /**
     * Whether the run whose id is in {@code idColumn} belongs to lane {@code :lane} of {@code :lanes}, as
     * {@link WriterLanes#lane} computes it (PostgreSQL; run ids are ASCII).
     */
    static String laneOf(String idColumn) {
        return "ascii(right(" + idColumn + ", 1)) % :lanes = :lane";
    }

    static final NamedSql RELEASE = NamedSql.parse("""
      UPDATE runs SET ready_at = :now, owner = NULL
      WHERE id = :runId AND (owner = :nodeId AND status = 'running' AND suspended = 0) IS TRUE""");

    /**
     * Every run executing when the single embedded process died becomes due: those with an owner, found through
     * {@code runs_owner} (a running run without one was released, and is due already).
     */
    static final NamedSql RECOVER_ORPHANS = NamedSql.parse("""
      UPDATE runs SET ready_at = :now, owner = NULL
      WHERE owner IS NOT NULL AND (status = 'running' AND suspended = 0) IS TRUE""");

    /** Suspends the executing run unless a signal arrived after {@code signalSeq} (or the attempt lost the run). */
    static final NamedSql SUSPEND = NamedSql.parse("""
      UPDATE runs SET suspended = 1, owner = NULL, ready_at = :wakeAt, wake_at = :wakeAt, updated_at = :now,
        version = version + 1
      WHERE id = :runId
        AND (attempt = :attempt AND signal_seq = :signalSeq AND status = 'running' AND suspended = 0) IS TRUE""");

    /** Bumps the run's signal sequence, making it due if it is suspended. */
    static final NamedSql WAKE = NamedSql.parse("""
      UPDATE runs SET signal_seq = signal_seq + 1, updated_at = :now, version = version + 1,
        ready_at = CASE WHEN suspended = 1 THEN :now ELSE ready_at END
      WHERE id = :runId AND (status IN ('queued', 'running')) IS TRUE""");

    /** Takes the next inbox sequence of an unfinished run and wakes it. */
    static final NamedSql TAKE_INBOX_SEQ = NamedSql.parse("""
      UPDATE runs SET inbox_seq = inbox_seq + 1, signal_seq = signal_seq + 1, updated_at = :now, version = version + 1,
        ready_at = CASE WHEN suspended = 1 THEN :now ELSE ready_at END
      WHERE id = :runId AND (status IN ('queued', 'running')) IS TRUE
      RETURNING inbox_seq""");

    static final NamedSql SET_INBOX_SEQ = NamedSql.parse("""
      UPDATE runs SET inbox_seq = :inboxSeq WHERE id = :runId""");

    static final NamedSql REQUEST_CANCEL = NamedSql.parse("""
      UPDATE runs SET cancel_requested = 1, signal_seq = signal_seq + 1, updated_at = :now, version = version + 1
      WHERE id = :runId""");

    /** What the run waits on: a change of the run record, so its version moves. */
    static final NamedSql SET_WAITING = NamedSql.parse("""
      UPDATE runs SET waiting_on = :waitingOn, waiting_since = :waitingSince, updated_at = :updatedAt,
        version = version + 1
      WHERE id = :runId""");

    /** {@link #SET_WAITING}, only while {@code attempt} owns the run (a write nobody waits for). */
    static final NamedSql NOTE_WAITING = NamedSql.parse("""
      UPDATE runs SET waiting_on = :waitingOn, waiting_since = :since, updated_at = :since, version = version + 1
      WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE""");

    static final NamedSql BLOCK_ON_INTERACTION = NamedSql.parse("""
      UPDATE runs SET waiting_on = :waitingOn, waiting_since = :createdAt, blocking_interaction = :interactionId,
        updated_at = :createdAt, version = version + 1
      WHERE id = :runId""");

    static final NamedSql UNBLOCK_INTERACTION = NamedSql.parse("""
      UPDATE runs SET waiting_on = NULL, waiting_since = NULL, blocking_interaction = NULL, version = version + 1
      WHERE id = :runId AND blocking_interaction = :interactionId""");

    /** The run's next history sequence, with its webhook URL (an event that changes the status clients see). */
    static final NamedSql TAKE_EVENT_SEQ_WITH_WEBHOOK = NamedSql.parse("""
      UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = :runId
      RETURNING last_event_seq, webhook_url""");

    /** {@link #TAKE_EVENT_SEQ_WITH_WEBHOOK}, only while {@code attempt} owns the run. */
    static final NamedSql TAKE_OWNED_EVENT_SEQ_WITH_WEBHOOK = NamedSql.parse("""
      UPDATE runs SET last_event_seq = last_event_seq + 1
      WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
      RETURNING last_event_seq, webhook_url""");

    /**
     * PostgreSQL, where a round trip costs more than the work: each hot write is one data-modifying CTE whose later
     * parts only write if its first part, the fenced {@code UPDATE runs}, matched. History rows come from
     * {@code (VALUES {events})}, one row per event as {@link #eventRows} makes them: {@code (i, :typeI, :atI,
     * :attemptI, :stepSeqI, :dataI, started_at)}, numbered from 1, a step's start folded into its completion's row
     * ({@link StepStartFold}). A run's end, in its forms, is {@link PostgresEndSql}.
     */
    static final class Postgres {
        /**
         * Claimed runs taken in new attempts, one statement for all of them: each run's interrupted attempt ended as
         * abandoned, its row taken ({@link RunsSql#CLAIM_NEW_ATTEMPT}) with its event sequence bumped in the same
         * update, its attempt's row, and its {@code attempt_started} event. {@code :ids} and {@code :attempts} (the new
         * attempts' numbers) are comma-separated lists in the same order (run ids never hold a comma). Returns each
         * run's id and its event's sequence.
         */
        static final NamedSql CLAIM_NEW_ATTEMPTS = NamedSql.parse("""
        WITH u AS (
          SELECT id, attempt
          FROM unnest(string_to_array(:ids::text, ','), string_to_array(:attempts::text, ',')::bigint[])
            AS u(id, attempt)),
        ended AS (
          UPDATE attempts SET ended_at = :now, outcome = 'abandoned'
          FROM u
          WHERE attempts.run_id = u.id AND attempts.attempt = u.attempt - 1 AND (attempts.ended_at IS NULL) IS TRUE),
        r AS (
          UPDATE runs SET status = 'running', attempt = u.attempt, owner = :nodeId, ready_at = :leaseUntil,
            started_at = COALESCE(started_at, :now), updated_at = :now, version = version + 1,
            waiting_on = CASE WHEN waiting_on LIKE 'limit:%' THEN NULL ELSE waiting_on END,
            last_event_seq = last_event_seq + 1
          FROM u WHERE runs.id = u.id
          RETURNING runs.id, runs.attempt, runs.last_event_seq),
        a AS (
          INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at)
          SELECT id, attempt, :nodeId::text, :now::bigint, :now::bigint FROM r),
        h AS (
          INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
          SELECT id, last_event_seq, :type::text, :now::bigint, attempt, NULL, :data::text FROM r)
        SELECT id, last_event_seq FROM r""");

        private Postgres() {}

        /**
         * A run the creating node starts at once: its first attempt and two events, one statement that inserts one
         * attempt, or nothing when the idempotency key is taken (a {@link Pipelined} statement).
         */
        static final NamedSql INSERT_OWNED = NamedSql.parse(insertOwned("2", ""));

        /**
         * {@link #INSERT_OWNED} and the run's first step checkpoint ({@link #CHECKPOINT}'s {@code {count}} events
         * numbered after the run's two, and the step's row), one statement: a run that starts while its creation
         * commits often checkpoints its first step before the writer takes the creation ({@link FirstCheckpoint}). Its
         * update count, the step row's, is 1 when the run was inserted.
         */
        static final EventsSql INSERT_OWNED_WITH_CHECKPOINT = new EventsSql(
                insertOwned("2 + {count}", """
        ,
        c AS (
          {history})
        """.replace("{history}", insertEvents("r.id", "2", "r")) + upsertStep("r")));

        private static String insertOwned(String lastEventSeq, String checkpoint) {
            String attempts = "INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at)\n"
                    + "        SELECT id, 1, :owner::text, :createdAt::bigint, :createdAt::bigint FROM r";
            String tail =
                    checkpoint.isEmpty() ? "\n        " + attempts : ",\n        a AS (" + attempts + ")" + checkpoint;
            String insert = """
        WITH r AS (
          INSERT INTO runs (id, kind, name, status, input, created_at, started_at, updated_at, attempt, owner,
            ready_at, deadline_at, idempotency_key, webhook_url, parent_id, thread_id, continued_from, agent_id, budget,
            trace_parent, forked_from, forked_step, model_choice, org_id, last_event_seq,
            revision, release_channel, execution_profile, run_policy)
          VALUES (:id, :kind, :name, :status, :input, :createdAt, :startedAt, :createdAt, :attempt, :owner,
            :readyAt, :deadlineAt, :idempotencyKey, :webhookUrl, :parentId, :threadId, :continuedFrom, :agentId,
            :budget, :traceParent, :forkedFrom, :forkedStep, :modelChoice, :orgId, %s, :revision, :releaseChannel,
            :executionProfile, :runPolicy)
          ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING id),
        h AS (
          INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
          SELECT r.id, e.i, e.type, :createdAt::bigint, e.attempt, NULL, e.data
          FROM r, (VALUES (1, :createdEvent::text, NULL::bigint, :createdData::text),
                          (2, :attemptEvent::text, 1::bigint, :attemptData::text)) AS e(i, type, attempt, data))""";
            return insert.formatted(lastEventSeq) + tail;
        }

        /** A queued run's row as the CTE {@code r}: its id, if it was inserted. */
        private static final String QUEUED_ROW = """
        WITH r AS (
          INSERT INTO runs (id, kind, name, status, input, created_at, started_at, updated_at, attempt, owner,
            ready_at, deadline_at, idempotency_key, webhook_url, parent_id, thread_id, continued_from, agent_id, budget,
            trace_parent, forked_from, forked_step, model_choice, org_id, last_event_seq,
            revision, release_channel, execution_profile, run_policy)
          VALUES (:id, :kind, :name, :status, :input, :createdAt, :startedAt, :createdAt, :attempt, :owner,
            :readyAt, :deadlineAt, :idempotencyKey, :webhookUrl, :parentId, :threadId, :continuedFrom, :agentId,
            :budget, :traceParent, :forkedFrom, :forkedStep, :modelChoice, :orgId, 1, :revision, :releaseChannel,
            :executionProfile, :runPolicy)
          ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING id)""";

        /** A queued run's {@code run_created} event, inserted if {@code r} holds the run. */
        private static final String QUEUED_CREATED = """
          INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
          SELECT r.id, 1, :createdEvent::text, :createdAt::bigint, NULL::bigint, NULL, :createdData::text FROM r""";

        /** A queued run, its first event, and the notice to other nodes that work is due, one statement. */
        static final NamedSql INSERT_QUEUED = NamedSql.parse(QUEUED_ROW + ",\n        h AS (\n" + QUEUED_CREATED
                + ")\n        SELECT id, pg_notify(" + PostgresChannel.SIGNALS.sql() + ", 'WORK:' || id) FROM r");

        /**
         * {@link #INSERT_QUEUED} without its notice, for a batch that sends one for all its runs: its update count (the
         * event's row) says whether the run was inserted.
         */
        static final NamedSql INSERT_QUEUED_UNANNOUNCED = NamedSql.parse(QUEUED_ROW + "\n" + QUEUED_CREATED);

        /** One history event with the run's next sequence, one round trip instead of two. */
        static final NamedSql APPEND_HISTORY = NamedSql.parse("""
        WITH s AS (UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = :runId RETURNING last_event_seq)
        INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
        SELECT :runId::text, last_event_seq, :type::text, :at::bigint, :attempt::bigint, :stepSeq::bigint, :data::text
        FROM s RETURNING event_seq""");

        /** {@link #APPEND_HISTORY}, only while {@code attempt} owns the run. */
        static final NamedSql APPEND_OWNED_HISTORY = NamedSql.parse("""
        WITH s AS (
          UPDATE runs SET last_event_seq = last_event_seq + 1
          WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
          RETURNING last_event_seq)
        INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
        SELECT :runId::text, last_event_seq, :type::text, :at::bigint, :attempt::bigint, :stepSeq::bigint, :data::text
        FROM s RETURNING event_seq""");

        /**
         * A step checkpoint: {@code {count}} events and the step's row, if the step's attempt owns the run; the update
         * count (1 or 0) says which (a {@link Pipelined} statement).
         */
        static final EventsSql CHECKPOINT =
                new EventsSql("""
        WITH s AS (
          UPDATE runs SET last_event_seq = last_event_seq + {count}
          WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
          RETURNING last_event_seq),
        h AS (
          {history})
        """.replace("{history}", insertEvents(":runId::text", "s.last_event_seq - {count}", "s"))
                        + upsertStep("s"));

        /**
         * {@link #CHECKPOINT} that also changes what the run waits on (a sleep's timer starting, a wait ending): a
         * change of the run record, so the version moves, in the same statement.
         */
        static final EventsSql CHECKPOINT_CHANGING_WAIT =
                new EventsSql("""
        WITH s AS (
          UPDATE runs SET last_event_seq = last_event_seq + {count}, waiting_on = :waitingOn,
            waiting_since = :waitingSince, updated_at = :updatedAt, version = version + 1
          WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
          RETURNING last_event_seq),
        h AS (
          {history})
        """.replace("{history}", insertEvents(":runId::text", "s.last_event_seq - {count}", "s"))
                        + upsertStep("s"));

        /**
         * The statement's events, {@code (VALUES {events})} as {@link #eventRows} lays them out, inserted into run
         * {@code runId}'s history, event {@code i} numbered {@code seqBefore + i}, in a statement that writes only if
         * its CTE {@code fence} returned a row.
         */
        static String insertEvents(String runId, String seqBefore, String fence) {
            return "INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data, started_at)\n"
                    + "  SELECT " + runId + ", " + seqBefore + " + v.i,"
                    + " v.type, v.at, v.attempt, v.step_seq, v.data, v.started_at\n"
                    + "  FROM " + fence + ", (VALUES {events}) AS v(i, type, at, attempt, step_seq, data, started_at)";
        }

        /** A step's row inserted, or brought up to date, by a statement whose CTE {@code fence} decided to write. */
        static String upsertStep(String fence) {
            return UPSERT_STEP.formatted(fence);
        }

        private static final String UPSERT_STEP = """
          INSERT INTO steps (run_id, seq, name, kind, status, input, output, error, attempts, started_at, completed_at,
            run_attempt, step_type, input_tokens, output_tokens, cost_usd)
          SELECT :runId::text, :seq::bigint, :stepName::text, :stepKind::text, :stepStatus::text, :stepInput::text,
            :stepOutput::text, :stepError::text, :stepAttempts::bigint, :stepStartedAt::bigint,
            :stepCompletedAt::bigint, :runAttempt::bigint, :stepType::text, :inputTokens::bigint,
            :outputTokens::bigint, :costUsd::float8
          FROM %s
          ON CONFLICT (run_id, seq) DO UPDATE SET status = excluded.status, output = excluded.output,
            error = excluded.error, attempts = excluded.attempts, completed_at = excluded.completed_at,
            input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd
          """;

        /** A statement written for any number of history events: {@code {count}} and {@code {events}} filled in. */
        static final class EventsSql {
            private final String template;
            private final ConcurrentHashMap<Integer, NamedSql> parsed = new ConcurrentHashMap<>();

            EventsSql(String template) {
                this.template = template;
            }

            /**
             * The statement for {@code count} events bound in {@code p} ({@link HistoryRows#bindEvent}), a step's start
             * among them folded into its completion's row ({@link StepStartFold#foldedIn}); parsed once per count and
             * fold.
             */
            NamedSql forEvents(int count, NamedSql.Params p) {
                return forEvents(count, StepStartFold.foldedIn(p, count));
            }

            /** The statement for {@code count} events, event {@code folded} (0: none) folded into the next. */
            NamedSql forEvents(int count, int folded) {
                return parsed.computeIfAbsent(
                        count * StepStartFold.MOST_EVENTS + folded,
                        key -> NamedSql.parse(template.replace("{count}", Integer.toString(count))
                                .replace("{events}", eventRows(count, folded))));
            }
        }

        /**
         * The rows of {@code (VALUES …)} for {@code count} events, bound as {@code :type1, :at1, …}; event
         * {@code folded} (0: none) has no row of its own, its time going in the next one's {@code started_at}.
         */
        static String eventRows(int count, int folded) {
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= count; i++) {
                if (i == folded) continue;
                if (rows.length() > 0) rows.append(", ");
                String startedAt = i - 1 == folded && folded > 0 ? ":at" + folded + "::bigint" : "NULL::bigint";
                rows.append(
                        "(%d, :type%d::text, :at%d::bigint, :attempt%d::bigint, :stepSeq%d::bigint, :data%d::text, %s)"
                                .formatted(i, i, i, i, i, i, startedAt));
            }
            return rows.toString();
        }
    }
}
