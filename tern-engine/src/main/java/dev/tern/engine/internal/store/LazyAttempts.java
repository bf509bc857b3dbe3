package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite: the first attempt of a run started at its creation has a row in {@code attempts} only once something must be
 * written there that its run's row and history do not hold. Its {@code attempt_started} event already says which node
 * started it and when, and its run's row says whether and when it ended and how; a run that ends in that attempt before
 * a keep-alive reaches it (nearly every short run) never writes the row, which was two statements and about three pages
 * of the log a commit of a dozen workflows. Reads give the attempt back as the row would have been ({@link #READ}).
 *
 * <p>The row is written ({@link #OWNED}, {@link #OF_RUN}) before anything that changes it or takes what it is made of:
 * a keep-alive (its time), a resumption after a suspension (its keep-alive, and the node may then be another), and a
 * claim of the run's next attempt (which ends it as abandoned). Later attempts start with their rows as before, and
 * PostgreSQL writes every attempt's row with its run (its statements are pipelined, the row costs no round trip).
 */
final class LazyAttempts {
    private LazyAttempts() {}

    /**
     * Where a run started at its creation says how its first attempt started: its second event, written with its row
     * ({@link SqliteRunWrites}); one look-up by the history's key however long the run's history has grown.
     */
    private static final String FIRST_STARTED =
            "h.run_id = r.id AND h.event_seq = 2 AND h.type = 'attempt_started' AND h.attempt = 1";

    /**
     * The first attempt's row as its {@code attempt_started} event says, for the runs in {@code which} that have none
     * (their rows are looked for before their events).
     */
    private static String insertFirst(String which) {
        return """
          INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at)
          SELECT r.id, 1, json_extract(h.data, '$.nodeId'), h.at, h.at
          FROM runs r JOIN history h ON %s
          WHERE %s AND r.attempt = 1
            AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.run_id = r.id AND a.attempt = 1)
          ON CONFLICT (run_id, attempt) DO NOTHING""".formatted(FIRST_STARTED, which);
    }

    /** Before a keep-alive of {@code :nodeId}'s executing runs ({@link AttemptRows#KEEP_ALIVE}): their rows. */
    static final NamedSql OWNED =
            NamedSql.parse(insertFirst("r.owner = :nodeId AND (r.status = 'running' AND r.suspended = 0) IS TRUE"));

    /** Before a resumption's keep-alive or a claim of the next attempt: the row of {@code :runId}'s first attempt. */
    static final NamedSql OF_RUN = NamedSql.parse(insertFirst("r.id = :runId"));

    /**
     * A run's attempts in order ({@code ?1}: its id): its rows, and its first attempt from its event and run's row when
     * it has no row (ended when the run is: at its end and as it ended).
     */
    static final String READ = """
        SELECT run_id, attempt, node_id, started_at, last_keep_alive_at, ended_at, outcome
        FROM attempts WHERE run_id = ?1
        UNION ALL
        SELECT r.id, 1, json_extract(h.data, '$.nodeId'), h.at, h.at,
          CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN r.completed_at END,
          CASE WHEN r.status IN ('completed', 'failed', 'cancelled') THEN r.status END
        FROM runs r JOIN history h ON %s
        WHERE r.id = ?1 AND r.attempt = 1
          AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.run_id = ?1 AND a.attempt = 1)
        ORDER BY attempt""".formatted(FIRST_STARTED);

    /** {@link #OF_RUN} for each of {@code runIds}, as one batch. */
    static void writeFirst(Tx tx, List<String> runIds) throws SQLException {
        if (runIds.isEmpty()) return;
        List<Object[]> args = new ArrayList<>(runIds.size());
        for (String id : runIds) args.add(OF_RUN.args(NamedSql.Params.of("runId", id)));
        tx.updateAll(OF_RUN.jdbc(), args);
    }
}
