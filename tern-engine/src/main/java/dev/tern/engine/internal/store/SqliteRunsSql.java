package dev.tern.engine.internal.store;

/**
 * The statements that write the {@code runs} table on SQLite only, in process: each write statement by statement, in
 * the writer's transaction (the shared ones are in {@link RunsSql}).
 */
final class SqliteRunsSql {
    private SqliteRunsSql() {}

    /** A new run, its history numbered up to {@code :lastEventSeq}: the events its creation writes with it. */
    static final NamedSql INSERT = NamedSql.parse("""
    INSERT INTO runs (id, kind, name, status, input, created_at, started_at, updated_at, attempt, owner,
      ready_at, deadline_at, idempotency_key, webhook_url, parent_id, thread_id, continued_from, agent_id, budget,
      trace_parent, forked_from, forked_step, model_choice, org_id, revision,
      release_channel, execution_profile, run_policy, last_event_seq)
    VALUES (:id, :kind, :name, :status, :input, :createdAt, :startedAt, :createdAt, :attempt, :owner,
      :readyAt, :deadlineAt, :idempotencyKey, :webhookUrl, :parentId, :threadId, :continuedFrom, :agentId, :budget,
      :traceParent, :forkedFrom, :forkedStep, :modelChoice, :orgId, :revision,
      :releaseChannel, :executionProfile, :runPolicy, :lastEventSeq)
    ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""");

    private static final java.util.concurrent.ConcurrentHashMap<Integer, NamedSql> FIRST_EVENTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A started run's history from its start through its first checkpoint, one statement: {@code run_created} and
     * {@code attempt_started} ({@link NewRunRow#startedParams}), then the checkpoint's {@code count} events
     * ({@link HistoryRows#bindEvent}, numbered from 1), parsed once per count.
     */
    static NamedSql firstEvents(int count) {
        return FIRST_EVENTS.computeIfAbsent(count, n -> {
            StringBuilder sql = new StringBuilder("""
    INSERT INTO history (run_id, event_seq, type, at, attempt, step_seq, data)
    VALUES (:id, 1, :createdEvent, :createdAt, NULL, NULL, :createdData),
      (:id, 2, :attemptEvent, :createdAt, 1, NULL, :attemptData)""");
            for (int i = 1; i <= n; i++) {
                sql.append(
                        ", (:id, %d, :type%d, :at%d, :attempt%d, :stepSeq%d, :data%d)".formatted(2 + i, i, i, i, i, i));
            }
            return NamedSql.parse(sql.toString());
        });
    }

    /** The values {@link #firstEvents} takes from its parameters besides each checkpoint event's. */
    private static final NamedSql FIRST_EVENT_VALUES =
            NamedSql.parse("(:id, :createdEvent, :createdAt, :createdData, :attemptEvent, :attemptData)");

    private static final java.util.concurrent.ConcurrentHashMap<Integer, NamedSql> EVENT_VALUES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The rows {@link #firstEvents}{@code (count)} inserts, from the same parameters {@code p}, as the values of
     * {@link StepStartFold#COLUMNS} columns a row in their order: for a batch that inserts its history rows together
     * ({@link DeferredRows}).
     */
    static Object[] firstEventRows(int count, NamedSql.Params p) {
        final int w = StepStartFold.COLUMNS;
        Object[] first = FIRST_EVENT_VALUES.args(p);
        Object id = first[0];
        Object[] rows = new Object[w * (2 + count)];
        rows[0] = id;
        rows[1] = 1L;
        rows[2] = first[1];
        rows[3] = first[2];
        rows[6] = first[3];
        rows[w] = id;
        rows[w + 1] = 2L;
        rows[w + 2] = first[4];
        rows[w + 3] = first[2];
        rows[w + 4] = 1;
        rows[w + 6] = first[5];
        for (int i = 1; i <= count; i++) {
            Object[] event = EVENT_VALUES
                    .computeIfAbsent(
                            i,
                            n -> NamedSql.parse(
                                    "(:type%d, :at%d, :attempt%d, :stepSeq%d, :data%d)".formatted(n, n, n, n, n)))
                    .args(p);
            int at = w * (1 + i);
            rows[at] = id;
            rows[at + 1] = 2L + i;
            System.arraycopy(event, 0, rows, at + 2, 5);
        }
        return rows;
    }

    static final NamedSql TAKE_EVENT_SEQ = NamedSql.parse("""
    UPDATE runs SET last_event_seq = last_event_seq + 1 WHERE id = :runId RETURNING last_event_seq""");

    static final NamedSql TAKE_OWNED_EVENT_SEQ = NamedSql.parse("""
    UPDATE runs SET last_event_seq = last_event_seq + 1
    WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
    RETURNING last_event_seq""");

    /** Takes {@code :count} sequence numbers at once; returns the last of them. */
    static final NamedSql TAKE_OWNED_EVENT_SEQS = NamedSql.parse("""
    UPDATE runs SET last_event_seq = last_event_seq + :count
    WHERE id = :runId AND (attempt = :attempt AND status = 'running') IS TRUE
    RETURNING last_event_seq""");

    /** {@link EndedCopy#CHANGING} after {@code last_event_seq}, which every end returns third. */
    private static final String KNOWN = EndedCopy.CHANGING.substring("last_event_seq, ".length());

    /**
     * Ends the run if {@code attempt} still has it and it is unfinished (a queued run may be cancelled), and takes its
     * terminal event's sequence in one statement ({@code :count} = 1); returns what it leaves open
     * ({@link #OPEN_WORK}), its parent, webhook URL and that sequence, then the run as it ended
     * ({@link RunColumns#LIST}) for whoever waits for the end here.
     */
    static final NamedSql END = NamedSql.parse(ending("status IN ('queued', 'running')", RunColumns.LIST));

    /**
     * {@link #END} of a running run that writes its last step's checkpoint with the end: takes {@code :count} sequence
     * numbers (the step's events, then the terminal one) and returns the last.
     */
    static final NamedSql END_AFTER_STEP = NamedSql.parse(ending("status = 'running'", RunColumns.LIST));

    /**
     * {@link #END} of a run the store makes from the copy its attempt started with ({@link EndedCopy}): returns after
     * what it leaves open, its parent, webhook URL and terminal sequence only {@link EndedCopy#CHANGING} from its
     * started time on.
     */
    static final NamedSql END_KNOWN = NamedSql.parse(ending("status IN ('queued', 'running')", KNOWN));

    /** {@link #END_AFTER_STEP} returning what {@link #END_KNOWN} does. */
    static final NamedSql END_AFTER_STEP_KNOWN = NamedSql.parse(ending("status = 'running'", KNOWN));

    private static String ending(String statuses, String returning) {
        return """
    UPDATE runs SET status = :status, output = :output, error = :error, completed_at = :now, updated_at = :now,
      version = version + 1, owner = NULL, ready_at = NULL, suspended = 0, wake_at = NULL, waiting_on = NULL,
      waiting_since = NULL, blocking_interaction = NULL, last_event_seq = last_event_seq + :count
    WHERE id = :runId AND (attempt = :attempt AND %s) IS TRUE
    RETURNING %s, parent_id, webhook_url, last_event_seq, """.formatted(statuses, OPEN_WORK) + returning;
    }

    /**
     * What an end leaves open, as the first column it returns: 1 if the run has an open interaction, plus 2 if it has
     * an unfinished child. The end closes the one and cancels the other, and asks in its own statement so a run with
     * neither (nearly every run) costs the writer no statement for either.
     */
    private static final String OPEN_WORK = """
    (EXISTS (SELECT 1 FROM interactions i WHERE i.run_id = :runId AND i.status = 'open'))
      + 2 * (EXISTS (SELECT 1 FROM runs c
        WHERE c.parent_id = :runId AND (c.status IN ('queued', 'running')) IS TRUE))""";

    /** {@link #OPEN_WORK}'s bit for an open interaction. */
    static final int OPEN_INTERACTION = 1;

    /** {@link #OPEN_WORK}'s bit for an unfinished child. */
    static final int OPEN_CHILD = 2;

    static final NamedSql OPEN_CHILDREN = NamedSql.parse("""
    SELECT id FROM runs WHERE parent_id = :runId AND (status IN ('queued', 'running')) IS TRUE""");
}
