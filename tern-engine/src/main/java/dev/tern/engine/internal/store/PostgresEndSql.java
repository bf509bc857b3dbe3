package dev.tern.engine.internal.store;

/**
 * A run's end on PostgreSQL, one data-modifying CTE in each of its forms: the fenced {@code UPDATE runs} first, then
 * the attempt, the open questions, the events and the step's row, each written only if the run's update matched
 * ({@link RunsSql.Postgres}). The forms differ in what they answer: what follows from the end for any run, or, for a
 * run whose end changes no other, the run as it ended, the values a copy of it lacks, or only whether it wrote.
 */
final class PostgresEndSql {
    private PostgresEndSql() {}

    /**
     * Ends the run if {@code attempt} has it and it is unfinished (a run ending without a checkpoint may still be
     * queued: cancelled before it started), with its attempt, terminal event ({@code {count}} = 1 event) and open
     * questions, telling other nodes when {@code :doneSignal} is not null; returns what follows from the end.
     */
    static final RunsSql.Postgres.EventsSql END =
            new RunsSql.Postgres.EventsSql(ending("status IN ('queued', 'running')", false, Answer.WHAT_FOLLOWS));

    /** {@link #END} of a running run after its last step checkpoint (the step's events, then the terminal one). */
    static final RunsSql.Postgres.EventsSql END_AFTER_STEP =
            new RunsSql.Postgres.EventsSql(ending("status = 'running'", true, Answer.WHAT_FOLLOWS));

    /**
     * {@link #END} of a run that changes no other: without parent, webhook or unfinished children (else it writes
     * nothing), telling no other node, and returning the run as it ended ({@link RunColumns#arrayFrom}; no row if it
     * wrote nothing), so whoever waits for the run has it without reading it again. Its top level inserts the terminal
     * event ({@code {count}} = 1) and returns the run: one row exactly when it writes, so its update count says whether
     * it wrote; several in one batch go as {@link #END_ALONE_WRITTEN} ({@link Pipelined}).
     */
    static final RunsSql.Postgres.EventsSql END_ALONE =
            new RunsSql.Postgres.EventsSql(ending("status IN ('queued', 'running')", false, Answer.THE_RUN));

    /**
     * {@link #END_ALONE} after the run's last step checkpoint, as {@link #END_AFTER_STEP}: its top level writes the
     * step's row, one row exactly when it writes, and returns the run.
     */
    static final RunsSql.Postgres.EventsSql END_ALONE_AFTER_STEP =
            new RunsSql.Postgres.EventsSql(ending("status = 'running'", true, Answer.THE_RUN));

    /** {@link #END_ALONE} answering by its update count only: its form in a batch ({@link Pipelined}). */
    static final RunsSql.Postgres.EventsSql END_ALONE_WRITTEN =
            new RunsSql.Postgres.EventsSql(ending("status IN ('queued', 'running')", false, Answer.WRITTEN));

    /**
     * {@link #END_ALONE} answering with {@link EndedCopy#CHANGING} instead of the run: the run as it ended is made from
     * the copy its attempt started with. Its answer is four numbers, a size pgjdbc can bound, so several such ends are
     * sent together and answered together (one round trip), where ends answering with the run go one at a time or
     * answer by count and have their runs read back after them ({@link PipelinedBatch}).
     */
    static final RunsSql.Postgres.EventsSql END_ALONE_KNOWN =
            new RunsSql.Postgres.EventsSql(ending("status IN ('queued', 'running')", false, Answer.CHANGING));

    /** {@link #END_ALONE_AFTER_STEP} answering as {@link #END_ALONE_KNOWN} does. */
    static final RunsSql.Postgres.EventsSql END_ALONE_AFTER_STEP_KNOWN =
            new RunsSql.Postgres.EventsSql(ending("status = 'running'", true, Answer.CHANGING));

    /** {@link #END_ALONE_AFTER_STEP} answering by its update count only. */
    static final RunsSql.Postgres.EventsSql END_ALONE_AFTER_STEP_WRITTEN =
            new RunsSql.Postgres.EventsSql(ending("status = 'running'", true, Answer.WRITTEN));

    /**
     * What an end statement answers: what follows from the end for any run ({@link #END}), or, for a run that changes
     * no other, the run as it ended ({@link #END_ALONE}), what its copy lacks ({@link #END_ALONE_KNOWN}) or only
     * whether it wrote.
     */
    private enum Answer {
        WHAT_FOLLOWS,
        THE_RUN,
        CHANGING,
        WRITTEN
    }

    /**
     * The end of a child wakes its parent in the same statement, as {@link RunsSql#WAKE} would after it (the parent's
     * signals bumped, a suspended parent made due) and, in the answer, tells other nodes ({@code EVENT:parent}): two
     * round trips fewer for every child.
     */
    private static final String WAKE_PARENT = """
    w AS (
      UPDATE runs SET signal_seq = signal_seq + 1, updated_at = :now, version = version + 1,
        ready_at = CASE WHEN suspended = 1 THEN :now ELSE ready_at END
      WHERE id = (SELECT parent_id FROM e) AND (status IN ('queued', 'running')) IS TRUE)""";

    private static String ending(String statuses, boolean afterStep, Answer answer) {
        boolean full = answer == Answer.WHAT_FOLLOWS;
        String fence = full ? "" : """
                 AND parent_id IS NULL AND webhook_url IS NULL
                AND NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_id = :runId
                  AND (c.status IN ('queued', 'running')) IS TRUE)""";
        String history = RunsSql.Postgres.insertEvents(":runId::text", "e.last_event_seq - {count}", "e");
        String returnRun = switch (answer) {
            case THE_RUN -> "\n          RETURNING " + RunColumns.arrayFrom("e");
            case CHANGING -> "\n          RETURNING " + changingFrom("e");
            default -> "";
        };
        String rest;
        if (full) {
            rest = ",\n        h AS (\n" + history + ")"
                    + (afterStep ? ", st AS (" + RunsSql.Postgres.upsertStep("e") + ")" : "")
                    + ",\n" + WAKE_PARENT
                    + "\n\n    SELECT parent_id, webhook_url, last_event_seq,\n"
                    + "      CASE WHEN :doneSignal::text IS NOT NULL THEN pg_notify(" + PostgresChannel.SIGNALS.sql()
                    + ", :doneSignal::text) END,\n"
                    + """
      ARRAY(SELECT id FROM runs WHERE parent_id = :runId AND (status IN ('queued', 'running')) IS TRUE),
    """
                    + "  CASE WHEN parent_id IS NOT NULL THEN pg_notify(" + PostgresChannel.SIGNALS.sql() + ", '"
                    + Signal.Kind.EVENT.name() + ":' || parent_id) END\n    FROM e";
        } else if (afterStep) {
            rest = ",\n        h AS (\n" + history + ")\n"
                    + RunsSql.Postgres.upsertStep("e").stripTrailing() + returnRun;
        } else {
            rest = "\n" + history + returnRun;
        }
        return """
    WITH e AS (
      UPDATE runs SET status = :status, output = :output, error = :error, completed_at = :now, updated_at = :now,
        version = version + 1, owner = NULL, ready_at = NULL, suspended = 0, wake_at = NULL, waiting_on = NULL,
        waiting_since = NULL, blocking_interaction = NULL, last_event_seq = last_event_seq + {count}
      WHERE id = :runId AND (attempt = :attempt AND %s) IS TRUE%s
      RETURNING %s),
    a AS (
      UPDATE attempts SET ended_at = :now, outcome = :status
      WHERE run_id = :runId AND attempt = :attempt AND (ended_at IS NULL) IS TRUE AND EXISTS (SELECT 1 FROM e)),
    i AS (
      UPDATE interactions SET status = 'closed'
      WHERE run_id = :runId AND status = 'open' AND EXISTS (SELECT 1 FROM e))%s""".formatted(
                        statuses,
                        fence,
                        switch (answer) {
                            case THE_RUN -> RunColumns.LIST;
                            case CHANGING -> EndedCopy.CHANGING;
                            default -> "parent_id, webhook_url, last_event_seq";
                        },
                        rest);
    }

    /** {@link EndedCopy#CHANGING} of {@code relation}, a one-row relation of the statement, each by a subquery. */
    private static String changingFrom(String relation) {
        StringBuilder columns = new StringBuilder();
        for (String column : EndedCopy.CHANGING.split(",")) {
            if (!columns.isEmpty()) columns.append(", ");
            columns.append("(SELECT ")
                    .append(column.strip())
                    .append(" FROM ")
                    .append(relation)
                    .append(')');
        }
        return columns.toString();
    }
}
