package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who executes a run, inside the writer's transaction: a node claims due runs (a new attempt, or a suspended attempt
 * resumed), renews the leases of those it executes, and gives them up by suspending or releasing them. Concurrent
 * claimers skip each other's rows (the dialect's claim lock), so one attempt never goes to two nodes.
 */
final class RunClaims {
    /** Timers due sooner than this are announced to every node when a run suspends; later ones are found by polling. */
    static final Duration NEAR_TIMER = Duration.ofSeconds(1);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunRows rows;
    private final Dialect dialect;
    private volatile NamedSql claimDue;

    RunClaims(RunRows rows, Dialect dialect) {
        this.rows = rows;
        this.dialect = dialect;
        this.claimDue = NamedSql.parse(RunsSql.CLAIM_DUE + dialect.claimLock());
    }

    /**
     * From now on claims only runs without a revision (call runs, runs from before revisions) and runs of the given
     * definitions pinned to one of their given revisions. The condition is written into the claim statement once (names
     * and revisions follow the SDK's patterns, and are quoted besides), so the hot path gains no query.
     */
    void restrictTo(java.util.Map<String, java.util.List<String>> revisionsByName) {
        StringBuilder only = new StringBuilder("(revision IS NULL");
        revisionsByName.forEach((name, revisions) -> {
            only.append(" OR (name = ").append(quote(name)).append(" AND revision IN (");
            for (int i = 0; i < revisions.size(); i++) {
                if (i > 0) only.append(", ");
                only.append(quote(revisions.get(i)));
            }
            only.append("))");
        });
        only.append(')');
        String sql = RunsSql.CLAIM_DUE.replace("ORDER BY ready_at", "AND " + only + "\n      ORDER BY ready_at");
        this.claimDue = NamedSql.parse(sql + dialect.claimLock());
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    List<Claim> claim(Tx tx, String nodeId, Instant now, int limit, Instant leaseUntil) throws SQLException {
        record Due(String id, String status, boolean suspended, int attempt, String webhookUrl) {}
        List<Due> due = tx.queryPlannedEachTime(
                claimDue,
                rs -> new Due(rs.getString(1), rs.getString(2), rs.getLong(3) != 0, rs.getInt(4), rs.getString(5)),
                NamedSql.Params.of("now", now).and("limit", limit));
        // the statements of each kind for every run claimed are sent together (one round trip each on PostgreSQL, where
        // a claim of 256 runs statement by statement took 200-700 ms of the shared writer lane); each run's own
        // statements keep their order
        List<Claim> claims = new ArrayList<>(due.size());
        List<Claim> resumed = new ArrayList<>();
        List<Claim> fresh = new ArrayList<>();
        List<Due> freshDue = new ArrayList<>();
        List<Object[]> resumedRuns = new ArrayList<>();
        for (Due d : due) {
            if (d.suspended()) {
                // the attempt goes on where it started: its resumption (and its node) recorded beside it, never over it
                Claim c = new Claim(d.id(), d.attempt(), true);
                resumedRuns.add(RunsSql.CLAIM_RESUMED.args(taking(d.id(), nodeId, now, leaseUntil)));
                resumed.add(c);
                claims.add(c);
                continue;
            }
            Claim c = new Claim(d.id(), d.attempt() + 1, false);
            fresh.add(c);
            freshDue.add(d);
            claims.add(c);
        }
        if (!resumed.isEmpty()) {
            tx.updateAll(RunsSql.CLAIM_RESUMED.jdbc(), resumedRuns);
            rows.runs().resumeAttempts(tx, resumed, nodeId, now);
        }
        long[] started = dialect == Dialect.POSTGRESQL && fresh.size() > 1
                ? takeTogether(tx, fresh, nodeId, now, leaseUntil)
                : takeOneByOne(tx, fresh, nodeId, now, leaseUntil);
        for (int i = 0; i < fresh.size(); i++) {
            Due d = freshDue.get(i);
            if ("queued".equals(d.status()))
                rows.statusChanged(tx, d.id(), d.webhookUrl(), RunStatus.RUNNING, started[i], now);
        }
        return claims;
    }

    private static NamedSql.Params taking(String runId, String nodeId, Instant now, Instant leaseUntil) {
        return NamedSql.Params.of("runId", runId)
                .and("nodeId", nodeId)
                .and("leaseUntil", leaseUntil)
                .and("now", now);
    }

    /**
     * The claim's runs taken in new attempts statement by statement, each kind sent as one batch: the interrupted
     * attempts ended, the runs' rows, the attempts' rows and their {@code attempt_started} events; each run's sequence,
     * in the claims' order.
     */
    private long[] takeOneByOne(Tx tx, List<Claim> fresh, String nodeId, Instant now, Instant leaseUntil)
            throws SQLException {
        if (fresh.isEmpty()) return new long[0];
        List<Object[]> abandoned = new ArrayList<>();
        List<String> firstAbandoned = new ArrayList<>();
        List<Object[]> taken = new ArrayList<>(fresh.size());
        for (Claim c : fresh) {
            if (c.attempt() == 2 && dialect == Dialect.SQLITE) firstAbandoned.add(c.runId());
            if (c.attempt() > 1)
                abandoned.add(
                        AttemptRows.END.args(AttemptRows.endParams(c.runId(), c.attempt() - 1, "abandoned", now)));
            taken.add(RunsSql.CLAIM_NEW_ATTEMPT.args(
                    taking(c.runId(), nodeId, now, leaseUntil).and("attempt", c.attempt())));
        }
        LazyAttempts.writeFirst(tx, firstAbandoned); // the first attempt's row, if it has none yet, to end it
        if (!abandoned.isEmpty()) tx.updateAll(AttemptRows.END.jdbc(), abandoned);
        tx.updateAll(RunsSql.CLAIM_NEW_ATTEMPT.jdbc(), taken);
        return rows.startAttempts(tx, fresh, nodeId, now);
    }

    /**
     * PostgreSQL: the claim's runs taken in new attempts with one set-based statement
     * ({@link RunsSql.Postgres#CLAIM_NEW_ATTEMPTS}) instead of four statements a run sent together: a node restarting,
     * or taking over a dead one's runs, claims thousands in a row, and each claim of 256 took 60-270 ms of the writer
     * lane statement by statement. The same rows as the statements would write; each run's {@code attempt_started}
     * sequence, in the claims' order.
     */
    private static long[] takeTogether(Tx tx, List<Claim> fresh, String nodeId, Instant now, Instant leaseUntil)
            throws SQLException {
        StringBuilder ids = new StringBuilder();
        StringBuilder attempts = new StringBuilder();
        for (Claim c : fresh) {
            if (!ids.isEmpty()) {
                ids.append(',');
                attempts.append(',');
            }
            ids.append(c.runId());
            attempts.append(c.attempt());
        }
        Map<String, Long> seqs = new HashMap<>();
        tx.query(
                RunsSql.Postgres.CLAIM_NEW_ATTEMPTS,
                rs -> seqs.put(rs.getString(1), rs.getLong(2)),
                NamedSql.Params.of("ids", ids.toString())
                        .and("attempts", attempts.toString())
                        .and("now", now)
                        .and("nodeId", nodeId)
                        .and("leaseUntil", leaseUntil)
                        .and("type", HistoryEventType.ATTEMPT_STARTED.wireName())
                        .and("data", Json.write(AttemptRows.startedData(nodeId))));
        long[] started = new long[fresh.size()];
        for (int i = 0; i < started.length; i++) {
            String runId = fresh.get(i).runId();
            Long seq = seqs.get(runId);
            if (seq == null) throw new SQLException("claimed run " + runId + " was not taken");
            started[i] = seq;
            tx.historyChanged(runId);
        }
        return started;
    }

    /**
     * Keeps the node's attempts of writer lane {@code lane} (of {@code lanes}) alive, and on the first lane its limit
     * permits; returns the runs of that lane it still owns. A lane renews only its own runs: the renewal locks them,
     * and locking another lane's runs would deadlock with that lane's writes (see {@link WriterLanes}).
     */
    List<OwnedRun> renew(Tx tx, String nodeId, Instant now, Instant leaseUntil, int lane, int lanes)
            throws SQLException {
        boolean split = lanes > 1;
        NamedSql.Params keepAlive = NamedSql.Params.of("now", now).and("nodeId", nodeId);
        NamedSql.Params renew = NamedSql.Params.of("leaseUntil", leaseUntil).and("nodeId", nodeId);
        if (lane == 0) {
            tx.update("UPDATE limit_holders SET expires_at = ? WHERE node_id = ?", leaseUntil, nodeId);
            tx.update("UPDATE node_revisions SET seen_at = ? WHERE node_id = ?", now, nodeId);
        }
        if (dialect == Dialect.POSTGRESQL) {
            NamedSql.Params both = renew.andAll(keepAlive);
            if (split) both.and("lane", lane).and("lanes", lanes);
            return renewWithIndexScan(tx, split, both);
        }
        // SQLite: one writer, one lane; ended runs leave no entries behind in its indexes
        tx.update(LazyAttempts.OWNED, keepAlive);
        tx.update(AttemptRows.KEEP_ALIVE, keepAlive);
        return tx.query(RunsSql.RENEW, RunClaims::owned, renew);
    }

    /**
     * PostgreSQL: the renewal and the keep-alive in one statement, finding the node's runs by {@code runs_owner} in a
     * plain index scan. Every run that ends leaves a dead entry in that index (its new row version has no owner) until
     * a vacuum; a bitmap scan, the planner's choice, visits them all on every renewal and marks none, and took 140-180
     * ms of a writer lane each time after 50,000 runs. An index scan marks the entries of dead rows as it passes, so
     * each is visited once. The settings hold for this statement only.
     */
    private static List<OwnedRun> renewWithIndexScan(Tx tx, boolean split, NamedSql.Params params) throws SQLException {
        tx.query(INDEX_SCAN_ONLY, rs -> rs.getString(1));
        List<OwnedRun> owned =
                tx.query(split ? RENEW_AND_KEEP_ALIVE_LANE : RENEW_AND_KEEP_ALIVE, RunClaims::owned, params);
        // if the statement failed, the transaction rolls back, and the settings with it
        tx.query(PLANNER_AS_BEFORE, rs -> rs.getString(1));
        return owned;
    }

    /** What the renewal's transaction sets for its statement: an index scan, neither a bitmap nor a table scan. */
    static final String INDEX_SCAN_ONLY =
            "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)";

    /** The two settings back as the server is configured (the store's connections never change them). */
    private static final String PLANNER_AS_BEFORE = "SELECT set_config(name, reset_val, true) FROM pg_settings"
            + " WHERE name IN ('enable_bitmapscan', 'enable_seqscan')";

    private static OwnedRun owned(java.sql.ResultSet rs) throws SQLException {
        return new OwnedRun(rs.getString(1), rs.getInt(2), rs.getLong(3) != 0);
    }

    /** {@link RunsSql#RENEW} and {@link AttemptRows#KEEP_ALIVE} as one PostgreSQL statement: one scan of the runs. */
    static final NamedSql RENEW_AND_KEEP_ALIVE = NamedSql.parse(renewAndKeepAlive(""));

    /** {@link #RENEW_AND_KEEP_ALIVE} of one writer lane's runs. */
    static final NamedSql RENEW_AND_KEEP_ALIVE_LANE = NamedSql.parse(renewAndKeepAlive(" AND " + RunsSql.laneOf("id")));

    static String renewAndKeepAlive(String lane) {
        return """
          WITH r AS (
            UPDATE runs SET ready_at = :leaseUntil
            WHERE owner = :nodeId AND (status = 'running' AND suspended = 0) IS TRUE%s
            RETURNING id, attempt, cancel_requested),
          k AS (
            UPDATE attempts SET last_keep_alive_at = :now WHERE (run_id, attempt) IN (SELECT id, attempt FROM r))
          SELECT id, attempt, cancel_requested FROM r""".formatted(lane);
    }

    /**
     * Suspends an executing run, with its held step checkpoint ({@code stepEvents} its events), unless a signal arrived
     * after the suspension's signal sequence; true if suspended.
     */
    boolean suspend(Tx tx, Suspension s, List<HistoryAppend> stepEvents, HistoryAppend event) throws SQLException {
        if (!rows.runs().suspend(tx, s, stepEvents, event)) return false;
        // every node re-reads the next due time at least once per poll interval: only a near timer needs a wake-up call
        // (one per far-future sleep made every node run a claim pass per sleeping run)
        if (s.announced()) rows.notify(tx, Signal.Kind.TIMER, s.runId());
        return true;
    }

    /** The suspension's {@code run_suspended} event. */
    static HistoryAppend suspendedEvent(Suspension s) {
        ObjectNode data = NODES.objectNode();
        if (s.wakeAt() != null) data.put("wakeAt", s.wakeAt().toString());
        return new HistoryAppend(HistoryEventType.RUN_SUSPENDED, s.now(), null, data);
    }

    /** Gives up runs the node owns but no longer executes, so they are claimed again at once. */
    int release(Tx tx, String nodeId, List<String> runIds, Instant now) throws SQLException {
        if (runIds.isEmpty()) return 0;
        // sent together: a node restarted under its old id releases every run it owned before, thousands at once
        List<Object[]> args = new ArrayList<>(runIds.size());
        for (String id : runIds)
            args.add(RunsSql.RELEASE.args(
                    NamedSql.Params.of("now", now).and("runId", id).and("nodeId", nodeId)));
        int released = 0;
        for (int count : tx.updateAll(RunsSql.RELEASE.jdbc(), args))
            released += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, count);
        if (released > 0) rows.notify(tx, Signal.Kind.WORK, "");
        return released;
    }

    /** Makes every run that was executing when the single embedded process died due at once. */
    int recoverOrphans(Tx tx, Instant now) throws SQLException {
        return tx.update(RunsSql.RECOVER_ORPHANS, NamedSql.Params.of("now", now));
    }
}
