package dev.tern.engine.internal.store;

import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of runs, newest first, found through the listing indexes however many runs the store holds: keyset pagination
 * (the cursor is the last row's creation time and id) and a query each index serves in order, so a page costs the same
 * at page 1 and page 50, at ten thousand runs and at a million.
 *
 * <p>Every page is an organisation's: with no organisation named (the engine's own callers; the API always names the
 * caller's), the store's organisations are found by a skip scan of {@code runs_org_created} and each one's page is read
 * through it, the pages merged by the database. Status filters name the partial index they need word for word
 * ({@code runs_unfinished}, {@code runs_finished_created}; see V14__fewer_runs_indexes.sql on SQLite).
 */
final class RunListing {
    private RunListing() {}

    /** The store's organisations, one index probe each (a recursive skip scan, on both databases). */
    static final String ORGS = """
        WITH RECURSIVE o(org) AS (
          SELECT MIN(org_id) FROM runs
          UNION ALL
          SELECT (SELECT org_id FROM runs WHERE org_id > o.org ORDER BY org_id LIMIT 1) FROM o WHERE o.org IS NOT NULL)
        SELECT org FROM o WHERE org IS NOT NULL""";

    /**
     * Organisations merged in one statement at most. A store with more is listed without naming them: correct, but
     * sorted rather than read in index order (a server with that many lists through its API, one organisation at a
     * time).
     */
    static final int MAX_MERGED_ORGS = 100;

    private static final String UNFINISHED = " AND status IN ('queued', 'running')";
    private static final String FINISHED = " AND status IN ('completed', 'failed', 'cancelled')";
    private static final String ORDER = " ORDER BY created_at DESC, id DESC LIMIT ?";

    /** A statement and its arguments. */
    record Query(String sql, List<Object> args) {}

    static RunPage page(RunReader reader, RunQuery q) {
        List<String> orgs = q.orgId() != null ? List.of(q.orgId()) : reader.query(ORGS, rs -> rs.getString(1));
        if (orgs.isEmpty()) return new RunPage(List.of(), null);
        Query query = query(q, orgs);
        List<RunRecord> rows = reader.query(
                query.sql(), rs -> RunColumns.read(rs).toRecord(), query.args().toArray());
        if (rows.size() <= q.limit()) return new RunPage(rows, null);
        RunRecord last = rows.get(q.limit() - 1);
        return new RunPage(
                rows.subList(0, q.limit()),
                new RunReader.Cursor(last.createdAt().toEpochMilli(), last.id()).encode());
    }

    /** The page's statement for {@code orgs} (one: its page; several: each one's page, merged). */
    static Query query(RunQuery q, List<String> orgs) {
        List<Object> args = new ArrayList<>();
        if (orgs.size() == 1) {
            String sql = "SELECT " + RunColumns.LIST + " FROM runs WHERE org_id = ?" + filters(q, args) + ORDER;
            args.addFirst(orgs.get(0));
            args.add(q.limit() + 1);
            return new Query(sql, args);
        }
        if (orgs.size() > MAX_MERGED_ORGS) {
            String sql = "SELECT " + RunColumns.LIST + " FROM runs WHERE 1 = 1" + filters(q, args) + ORDER;
            args.add(q.limit() + 1);
            return new Query(sql, args);
        }
        List<Object> filterArgs = new ArrayList<>();
        String oneOrg = "SELECT * FROM (SELECT " + RunColumns.LIST + " FROM runs WHERE org_id = ?"
                + filters(q, filterArgs) + ORDER + ") AS page%d";
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < orgs.size(); i++) {
            pages.add(oneOrg.formatted(i));
            args.add(orgs.get(i));
            args.addAll(filterArgs);
            args.add(q.limit() + 1);
        }
        String sql = "SELECT * FROM (" + String.join(" UNION ALL ", pages) + ") AS pages" + ORDER;
        args.add(q.limit() + 1);
        return new Query(sql, args);
    }

    /** The query's filters and its cursor's position, as {@code AND …} terms; their arguments added to {@code args}. */
    private static String filters(RunQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (q.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(q.kind().wireName());
        }
        if (q.name() != null) {
            sql.append(" AND name = ?");
            args.add(q.name());
        }
        if (q.status() != null) sql.append(statusFilter(q.status()));
        if (q.threadId() != null) {
            sql.append(" AND thread_id = ?");
            args.add(q.threadId());
        }
        if (q.parentId() != null) {
            sql.append(" AND parent_id = ?");
            args.add(q.parentId());
        }
        if (q.revision() != null) {
            sql.append(" AND revision = ?");
            args.add(q.revision());
        }
        if (q.cursor() != null) {
            RunReader.Cursor cursor = RunReader.Cursor.decode(q.cursor());
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            args.add(cursor.createdAt());
            args.add(cursor.createdAt());
            args.add(cursor.id());
        }
        return sql.toString();
    }

    /** The SQL for a status as clients see it (see {@link StoredRun#status()}), with its partial index's terms. */
    private static String statusFilter(RunStatus status) {
        return switch (status) {
            case QUEUED ->
                UNFINISHED + " AND (status = 'queued' OR (status = 'running' AND waiting_on LIKE 'limit:%'))";
            case RUNNING ->
                UNFINISHED + " AND status = 'running' AND (waiting_on IS NULL OR (waiting_on <> 'human' AND waiting_on"
                        + " NOT LIKE 'limit:%'))";
            case AWAITING_HUMAN -> UNFINISHED + " AND status = 'running' AND waiting_on = 'human'";
            case COMPLETED, FAILED, CANCELLED -> FINISHED + " AND status = '" + status.wireName() + "'";
        };
    }
}
