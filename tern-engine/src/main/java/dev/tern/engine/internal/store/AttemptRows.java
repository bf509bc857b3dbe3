package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code attempts} table: one row per attempt of a run, with the node that started it, its keep-alives, resumptions
 * after suspensions, and how it ended.
 */
final class AttemptRows {
    private AttemptRows() {}

    static final NamedSql INSERT = NamedSql.parse("""
      INSERT INTO attempts (run_id, attempt, node_id, started_at, last_keep_alive_at)
      VALUES (:runId, :attempt, :nodeId, :now, :now)""");

    static final NamedSql END = NamedSql.parse("""
      UPDATE attempts SET ended_at = :now, outcome = :outcome
      WHERE run_id = :runId AND attempt = :attempt AND (ended_at IS NULL) IS TRUE""");

    /** Keep-alive of the attempts {@code nodeId} executes now (owning their runs); a suspended one holds no lease. */
    static final NamedSql KEEP_ALIVE = NamedSql.parse("""
      UPDATE attempts SET last_keep_alive_at = :now
      WHERE (run_id, attempt) IN (
        SELECT id, attempt FROM runs WHERE owner = :nodeId AND (status = 'running' AND suspended = 0) IS TRUE)""");

    /** SQLite: a resumption of a suspended attempt, then its keep-alive, statement by statement. */
    static final NamedSql INSERT_RESUME = NamedSql.parse("""
      INSERT INTO attempt_resumes (run_id, attempt, node_id, resumed_at) VALUES (:runId, :attempt, :nodeId, :now)""");

    static final NamedSql KEEP_ALIVE_ONE = NamedSql.parse("""
      UPDATE attempts SET last_keep_alive_at = :now WHERE run_id = :runId AND attempt = :attempt""");

    /** PostgreSQL: {@link #INSERT_RESUME} and {@link #KEEP_ALIVE_ONE} in one statement, no extra round trip. */
    static final NamedSql RESUME_IN_ONE = NamedSql.parse("""
      WITH r AS (
        INSERT INTO attempt_resumes (run_id, attempt, node_id, resumed_at) VALUES (:runId, :attempt, :nodeId, :now))
      UPDATE attempts SET last_keep_alive_at = :now WHERE run_id = :runId AND attempt = :attempt""");

    static void end(Tx tx, String runId, int attempt, String outcome, Instant now) throws SQLException {
        tx.update(END, endParams(runId, attempt, outcome, now));
    }

    static NamedSql.Params endParams(String runId, int attempt, String outcome, Instant now) {
        return NamedSql.Params.of("now", now)
                .and("outcome", outcome)
                .and("runId", runId)
                .and("attempt", attempt);
    }

    /** The arguments of {@code sql} for each claimed attempt, by {@link #params}: one execution each of a batch. */
    static List<Object[]> argsOf(NamedSql sql, List<Claim> claims, String nodeId, Instant now) {
        List<Object[]> args = new ArrayList<>(claims.size());
        for (Claim c : claims) args.add(sql.args(params(c.runId(), c.attempt(), nodeId, now)));
        return args;
    }

    static NamedSql.Params params(String runId, int attempt, String nodeId, Instant now) {
        return NamedSql.Params.of("runId", runId)
                .and("attempt", attempt)
                .and("nodeId", nodeId)
                .and("now", now);
    }

    /** The data of an {@code attempt_started} event. */
    static ObjectNode startedData(String nodeId) {
        return JsonNodeFactory.instance.objectNode().put("nodeId", nodeId);
    }
}
