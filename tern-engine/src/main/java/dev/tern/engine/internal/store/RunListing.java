package dev.tern.engine.internal.store;

import dev.tern.engine.RunKind;
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
 * <p>A page is the merge of {@link Partition partitions}, each read through an index in order and at most a page long:
 * every organisation's page (with no organisation named, the engine's own callers, the store's organisations are found
 * by a skip scan of {@code runs_kind_name_created}; the API always names the caller's). A listing by kind or name reads
 * that index, so by name alone it merges the name's page under each kind, and by kind alone each of the kind's names'
 * pages, the names found by a skip scan of the same index. A listing of every run merges the organisation's unfinished
 * runs ({@code runs_unfinished}) with each finished status's ({@code runs_finished_created}): no index holds every run
 * in creation order, one entry fewer for each run written (V21 on SQLite). Status filters name the partial index they
 * need word for word (see V14__fewer_runs_indexes.sql on SQLite).
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
     * The names an organisation's runs of a kind have, one probe of {@code runs_kind_name_created} each (a recursive
     * skip scan); arguments: the organisation and the kind, twice, and how many names at most.
     */
    static final String NAMES = """
        WITH RECURSIVE n(name) AS (
          SELECT MIN(name) FROM runs WHERE org_id = ? AND kind = ?
          UNION ALL
          SELECT (SELECT name FROM runs WHERE org_id = ? AND kind = ? AND name > n.name ORDER BY name LIMIT 1)
          FROM n WHERE n.name IS NOT NULL)
        SELECT name FROM n WHERE name IS NOT NULL LIMIT ?""";

    /**
     * Pages merged in one statement at most. A listing with more is read without naming them: correct, but sorted
     * rather than read in index order (a server with that many organisations lists through its API, one organisation at
     * a time; a kind with that many names is listed by name).
     */
    static final int MAX_MERGED = 100;

    private static final String UNFINISHED = " AND status IN ('queued', 'running')";
    private static final String FINISHED = " AND status IN ('completed', 'failed', 'cancelled')";
    private static final String ORDER = " ORDER BY created_at DESC, id DESC LIMIT ?";

    /** A statement and its arguments. */
    record Query(String sql, List<Object> args) {}

    /**
     * The terms of one page read in an index's order: an organisation and, where the listing filters by kind or name, a
     * kind and a name (both, so that {@code runs_kind_name_created} serves it in order), or else, where nothing else
     * leads to an index, a status's terms ({@code statusTerms}, {@code AND …} or empty): the organisation's unfinished
     * runs ({@code runs_unfinished}) or those of one finished status ({@code runs_finished_created}).
     */
    record Partition(String org, String kind, String name, String statusTerms) {
        Partition(String org, String kind, String name) {
            this(org, kind, name, "");
        }
    }

    /** An organisation's runs in creation order are in four ranges: its unfinished runs, and each finished status's. */
    private static final List<String> EVERY_STATUS =
            List.of(UNFINISHED, finished("completed"), finished("failed"), finished("cancelled"));

    /**
     * The terms of one finished status, in {@code runs_finished_created}'s order: the status's equality first (named
     * after the index's own terms, SQLite reads the index for each of the three statuses and sorts what it found).
     */
    private static String finished(String status) {
        return " AND status = '" + status + "'" + FINISHED;
    }

    /** Every run of {@code org}, as the four ranges in which its runs are in creation order. */
    static List<Partition> everyRunOf(String org) {
        return EVERY_STATUS.stream().map(t -> new Partition(org, null, null, t)).toList();
    }

    /** The names of {@code kind} among {@code org}'s runs, at most {@code max} of them. */
    @FunctionalInterface
    interface Names {
        List<String> of(String org, String kind, int max);
    }

    static RunPage page(RunReader reader, RunQuery q) {
        List<String> orgs = q.orgId() != null ? List.of(q.orgId()) : reader.query(ORGS, rs -> rs.getString(1));
        Names names = (org, kind, max) -> reader.query(NAMES, rs -> rs.getString(1), org, kind, org, kind, max);
        List<Partition> partitions = partitions(q, orgs, names);
        if (partitions.isEmpty()) return new RunPage(List.of(), null);
        Query query = query(q, partitions, reader.mergesKeysFirst());
        List<RunRecord> rows = reader.query(
                query.sql(), rs -> RunColumns.read(rs).toRecord(), query.args().toArray());
        if (rows.size() <= q.limit()) return new RunPage(rows, null);
        RunRecord last = rows.get(q.limit() - 1);
        return new RunPage(
                rows.subList(0, q.limit()),
                new RunReader.Cursor(last.createdAt().toEpochMilli(), last.id()).encode());
    }

    /**
     * The pages {@code q} merges across {@code orgs}; more than {@link #MAX_MERGED} when there are too many to merge
     * (then not all of a kind's names are looked up), none when no run can match.
     */
    static List<Partition> partitions(RunQuery q, List<String> orgs, Names names) {
        String kind = q.kind() == null ? null : q.kind().wireName();
        List<Partition> partitions = new ArrayList<>();
        for (String org : orgs) {
            if (partitions.size() > MAX_MERGED) break;
            if (kind != null && q.name() != null) {
                partitions.add(new Partition(org, kind, q.name()));
            } else if (q.name() != null) {
                for (RunKind k : RunKind.values()) partitions.add(new Partition(org, k.wireName(), q.name()));
            } else if (kind != null) {
                for (String name : names.of(org, kind, MAX_MERGED + 1 - partitions.size()))
                    partitions.add(new Partition(org, kind, name));
            } else if (q.status() == null && q.threadId() == null && q.parentId() == null) {
                partitions.addAll(everyRunOf(org));
            } else { // the status's, the thread's or the parent's index
                partitions.add(new Partition(org, null, null));
            }
        }
        return partitions;
    }

    /**
     * The page's statement for {@code partitions} (one: its page; several: each one's page, merged as {@link #merged}).
     */
    static Query query(RunQuery q, List<Partition> partitions, boolean keysFirst) {
        if (partitions.size() > MAX_MERGED) return unmerged(q);
        List<Object> filterArgs = new ArrayList<>();
        String filters = filters(q, filterArgs);
        return merged(partitions, filters, filterArgs, q.limit() + 1, keysFirst);
    }

    /**
     * The newest {@code rows} runs of {@code partitions} that match {@code filters} ({@code AND …} terms, with their
     * arguments): each partition's page read in its index's order, and the pages merged (one partition: its page).
     * {@code keysFirst}: the pages carry only the runs' keys, often read from the index alone, and only the newest
     * {@code rows} runs are read whole (SQLite, which otherwise reads and sorts every page's whole rows: a listing of
     * every run read four pages' rows); else the pages' whole rows are merged (PostgreSQL, whose merge of index scans
     * reads only as many rows as it returns, and which planned the keys' join slower).
     */
    static Query merged(
            List<Partition> partitions, String filters, List<Object> filterArgs, int rows, boolean keysFirst) {
        List<Object> args = new ArrayList<>();
        if (partitions.size() == 1) {
            String sql = "SELECT " + RunColumns.LIST + " FROM runs WHERE " + terms(partitions.get(0), args) + filters
                    + ORDER;
            args.addAll(filterArgs);
            args.add(rows);
            return new Query(sql, args);
        }
        String columns = keysFirst ? "id, created_at" : RunColumns.LIST;
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            pages.add("SELECT * FROM (SELECT " + columns + " FROM runs WHERE " + terms(partitions.get(i), args)
                    + filters + ORDER + ") AS page" + i);
            args.addAll(filterArgs);
            args.add(rows);
        }
        args.add(rows);
        String union = String.join(" UNION ALL ", pages);
        if (!keysFirst) return new Query("SELECT * FROM (" + union + ") AS pages" + ORDER, args);
        String newest = "SELECT id AS page_id FROM (" + union + ") AS pages" + ORDER;
        return new Query(
                "SELECT " + RunColumns.LIST + " FROM (" + newest + ") AS newest JOIN runs ON runs.id = newest.page_id"
                        + " ORDER BY created_at DESC, id DESC",
                args);
    }

    /**
     * Too many pages to merge: one statement with the query's own terms, sorted by the database (every organisation's
     * runs when the query names none).
     */
    private static Query unmerged(RunQuery q) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + RunColumns.LIST + " FROM runs WHERE 1 = 1");
        if (q.orgId() != null) {
            sql.append(" AND org_id = ?");
            args.add(q.orgId());
        }
        if (q.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(q.kind().wireName());
        }
        if (q.name() != null) {
            sql.append(" AND name = ?");
            args.add(q.name());
        }
        sql.append(filters(q, args)).append(ORDER);
        args.add(q.limit() + 1);
        return new Query(sql.toString(), args);
    }

    /** A partition's equality terms, its values added to {@code args}. */
    private static String terms(Partition p, List<Object> args) {
        args.add(p.org());
        if (p.kind() == null) return "org_id = ?" + p.statusTerms();
        args.add(p.kind());
        args.add(p.name());
        return "org_id = ? AND kind = ? AND name = ?";
    }

    /**
     * The query's filters other than kind and name (its partitions' terms) and its cursor's position, as {@code AND …}
     * terms; their arguments added to {@code args}.
     */
    private static String filters(RunQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder();
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
            case COMPLETED, FAILED, CANCELLED -> finished(status.wireName());
        };
    }
}
