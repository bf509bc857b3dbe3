package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.PostgresTestDatabase;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every listing of runs, and every other read of many runs, is served by an index in the order it asks for (no table
 * scan, no sort of the matching rows), on both databases, with runs of two organisations, every status and many names
 * in the store: what keeps a page as fast at a million runs as at ten thousand (V17 / V14 fewer_runs_indexes, V23 / V21
 * every_run_listed_by_status). And a listing across organisations merges their pages newest first, each run once.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class RunListingPlanTest {
    private static final int RUNS = 6_000;
    private static final java.util.regex.Pattern SORT_NODE =
            java.util.regex.Pattern.compile("(^|->  )(Incremental )?Sort  \\(", java.util.regex.Pattern.MULTILINE);

    @Parameter
    String database;

    @TempDir
    Path dir;

    private String schema;
    private String url;

    @BeforeEach
    void fill() throws SQLException {
        if (database.equals("postgresql")) {
            schema = PostgresTestDatabase.newSchema();
            url = PostgresTestDatabase.url(schema);
            StoreFactory.postgres(url).close();
        } else {
            StoreFactory.sqlite(dir, false).close();
            url = "jdbc:sqlite:" + dir.resolve("tern.db");
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (id, kind, name, status, created_at, updated_at, completed_at, org_id, thread_id,"
                            + " parent_id, revision, waiting_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < RUNS; i++) {
                    // as in a store that has run a while: most runs finished, a few of them failed or cancelled
                    String status = i % 50 == 1
                            ? "running"
                            : i % 50 == 2 ? "queued" : i % 7 == 3 ? "failed" : i % 11 == 4 ? "cancelled" : "completed";
                    boolean finished = !status.equals("running") && !status.equals("queued");
                    ps.setString(1, "run_%06d".formatted(i));
                    ps.setString(2, i % 10 == 0 ? "agent" : "workflow");
                    ps.setString(3, "name" + (i % 40));
                    ps.setString(4, status);
                    ps.setLong(5, 1_000_000L + i / 2); // two runs per millisecond: ties broken by id
                    ps.setLong(6, 1_000_000L + i);
                    if (finished) ps.setLong(7, 2_000_000L + i);
                    else ps.setNull(7, java.sql.Types.BIGINT);
                    ps.setString(8, i % 3 == 0 ? "other" : "default");
                    ps.setString(9, i % 50 == 0 ? "thread" + (i % 7) : null);
                    ps.setString(10, i % 60 == 1 ? "run_000000" : null);
                    ps.setString(11, i % 9 == 0 ? "r" + (i % 4) : null);
                    ps.setString(12, status.equals("running") && i % 2 == 0 ? "human" : null);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            if (database.equals("postgresql")) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE runs");
                }
            }
        }
    }

    @AfterEach
    void drop() {
        if (schema != null) PostgresTestDatabase.drop(schema);
    }

    private static RunQuery all(int limit) {
        return new RunQuery(null, null, null, limit, null);
    }

    @Test
    void everyListingReadsAnIndexInItsOrder() throws SQLException {
        String cursor = new RunReader.Cursor(1_001_500L, "run_003000").encode();
        // each listing and the index meant for it: SQLite, without statistics, must be led to it by the query's terms
        Map<RunQuery, String> listings = new LinkedHashMap<>();
        listings.put(new RunQuery(RunKind.WORKFLOW, "name7", null, 50, null), "runs_kind_name_created");
        for (RunStatus status : RunStatus.values())
            listings.put(
                    new RunQuery(null, null, status, 50, null),
                    status.isTerminal() ? "runs_finished_created" : "runs_unfinished");
        listings.put(new RunQuery(null, null, RunStatus.FAILED, 50, cursor), "runs_finished_created");
        listings.put(all(50).withThread("thread3"), "runs_thread");
        listings.put(all(50).withParent("run_000000"), "runs_parent");
        for (var listing : listings.entrySet()) {
            RunListing.Query q = query(listing.getKey(), List.of("default"));
            String plan = plan(q.sql(), q.args());
            assertThat(plan).as("%s: %s", listing.getKey(), plan).satisfies(this::readsAnIndexInOrder);
            if (database.equals("sqlite"))
                assertThat(plan).as("%s", listing.getKey()).contains(listing.getValue());
        }
    }

    @Test
    void listingsAcrossOrganisationsMergeEachOnesIndexedPage() throws SQLException {
        String cursor = new RunReader.Cursor(1_001_500L, "run_003000").encode();
        // every run: each organisation's unfinished runs and each finished status's; by kind alone each of its names'
        // pages; by name alone its page under each kind; in one organisation or two
        Map<RunQuery, List<String>> merges = new LinkedHashMap<>();
        merges.put(all(50), List.of("runs_unfinished", "runs_finished_created"));
        merges.put(new RunQuery(null, null, null, 50, cursor), List.of("runs_unfinished", "runs_finished_created"));
        merges.put(new RunQuery(RunKind.AGENT, null, null, 50, null), List.of("runs_kind_name_created"));
        merges.put(new RunQuery(null, "name7", null, 50, null), List.of("runs_kind_name_created"));
        for (List<String> orgs : List.of(List.of("default"), List.of("default", "other")))
            for (var listing : merges.entrySet()) {
                RunListing.Query merged = query(listing.getKey(), orgs);
                assertThat(merged.sql()).contains("UNION ALL");
                String plan = plan(merged.sql(), merged.args());
                assertThat(plan).as("%s: %s", listing.getKey(), plan).doesNotContain("Seq Scan", "SCAN runs");
                if (database.equals("sqlite")) {
                    assertThat(plan).contains(listing.getValue());
                    // each page read in its index's order: no sort right after a listing index's search (the merge
                    // sorts the keys it takes from the pages, and the page's rows once read by their ids)
                    assertThat(plan)
                            .as(plan)
                            .doesNotContainPattern(
                                    "SEARCH runs USING (COVERING )?INDEX runs_[^\\n]*\\nUSE TEMP B-TREE");
                } else { // a Merge Append of index scans; the one sort is of the page's own rows, read last
                    assertThat(plan).as(plan).doesNotContainPattern("->  (Incremental )?Sort  \\(");
                }
            }
        assertThat(plan(RunListing.ORGS, List.of()))
                .as("the organisations' skip scan")
                .satisfies(this::readsNoTable);
        assertThat(plan(RunListing.NAMES, List.of("default", "agent", "default", "agent", 101)))
                .as("a kind's names' skip scan")
                .satisfies(this::readsNoTable);
    }

    @Test
    void countsAndRetentionReadTheirIndexes() throws SQLException {
        String unfinished = "SELECT count(*) FROM runs WHERE org_id = ? AND status IN ('queued', 'running')";
        assertThat(plan(unfinished, List.of("other"))).satisfies(this::readsNoTable);
        assertThat(plan(
                        "SELECT name, revision, status, COUNT(*) FROM runs WHERE revision IS NOT NULL"
                                + " AND status IN ('queued', 'running') GROUP BY name, revision, status",
                        List.of()))
                .as("unfinished runs per revision: all of them, walked in an index of unfinished runs only")
                .doesNotContain("Seq Scan", "SCAN runs\n")
                .satisfies(plan -> {
                    if (plan.contains("SCAN runs USING"))
                        assertThat(plan)
                                .containsAnyOf(
                                        "USING INDEX runs_unfinished",
                                        "USING INDEX runs_ready"); // SQLite: both are partial
                });
        assertThat(plan(RunRetention.DUE, List.of("other", "failed", 1_002_000L, 2_500_000L, 100)))
                .as("runs due for retention")
                .satisfies(this::readsAnIndexInOrder);
    }

    /**
     * The node's own polls: the claim of due runs (every poll interval, in the writer's transaction), when the next run
     * is due, the lease renewal and the attempts' keep-alive (every third of a lease), and the recovery of an embedded
     * store's runs at start. Each finds its few rows through an index, however many finished runs the store holds (on
     * SQLite they read the whole table until V16__node_poll_indexes).
     */
    @Test
    void theNodesOwnPollsReadAnIndex() throws SQLException {
        String claimLock = database.equals("postgresql") ? Dialect.POSTGRESQL.claimLock() : Dialect.SQLITE.claimLock();
        NamedSql claim = NamedSql.parse(RunsSql.CLAIM_DUE + claimLock);
        NamedSql.Params params = NamedSql.Params.of("now", 1_500_000L)
                .and("limit", 10)
                .and("nodeId", "node-a")
                .and("leaseUntil", 1_600_000L);
        Map<String, NamedSql> polls = new LinkedHashMap<>();
        polls.put("claim", claim);
        if (database.equals("sqlite")) { // PostgreSQL's one renewal statement: PostgresPlanTest, LeaseRenewalPlanTest
            polls.put("renew", RunsSql.RENEW);
            polls.put("keep-alive", AttemptRows.KEEP_ALIVE);
        }
        polls.put("recover orphans", RunsSql.RECOVER_ORPHANS);
        for (var poll : polls.entrySet()) {
            String plan = plan(poll.getValue().jdbc(), List.of(poll.getValue().args(params)));
            assertThat(plan).as("%s: %s", poll.getKey(), plan).satisfies(this::readsNoTable);
            if (database.equals("sqlite")) assertThat(plan).as(poll.getKey()).containsAnyOf("runs_ready", "runs_owner");
        }
        assertThat(plan(RunReader.NEXT_DUE, List.of())).as("next due").satisfies(this::readsNoTable);
        assertThat(plan(claim.jdbc(), List.of(claim.args(params)))).as("claim").doesNotContain("TEMP B-TREE", "Sort");
    }

    /** An event sent to a run that continued as new finds the run continuing it in the index of continuations. */
    @Test
    void aRunsContinuationIsFoundInTheIndexOfContinuations() throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "UPDATE runs SET agent_id = 'run_000100', continued_from = 'run_000100' WHERE id = 'run_000120'");
            if (database.equals("postgresql")) s.execute("ANALYZE runs");
        }
        String plan = plan(InboxWrites.CONTINUATION, List.of("run_000100", "run_000100"));
        assertThat(plan).as(plan).satisfies(this::readsNoTable).contains("runs_continuation");
    }

    /**
     * Pages of 7 across two organisations (and across more than are merged in one statement), newest first, ties by id:
     * every run once, in the order of one sort of them all.
     */
    @Test
    void pagesAcrossOrganisationsHoldEveryRunOnceNewestFirst() throws SQLException {
        List<String> expected = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM runs WHERE id > 'run_000150'");
            for (int i = 0; i <= RunListing.MAX_MERGED; i++)
                s.executeUpdate(
                        "INSERT INTO runs (id, kind, name, status, created_at, updated_at, org_id) VALUES ('many_%03d',"
                                        .formatted(i)
                                + " 'workflow', 'n', 'queued', " + (1_000_030L + i % 5) + ", 0, 'org"
                                + i + "')");
            try (ResultSet rs = s.executeQuery("SELECT id FROM runs ORDER BY created_at DESC, id DESC")) {
                while (rs.next()) expected.add(rs.getString(1));
            }
        }
        RunStore store = database.equals("postgresql") ? StoreFactory.postgres(url) : StoreFactory.sqlite(dir, false);
        try (store) {
            List<String> paged = new ArrayList<>();
            String cursor = null;
            do {
                RunPage page = store.listRuns(new RunQuery(null, null, null, 7, cursor));
                page.runs().stream().map(RunRecord::id).forEach(paged::add);
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(paged).containsExactlyElementsOf(expected);
            assertThat(store.listRuns(all(500).withOrg("org7")).runs())
                    .extracting(RunRecord::id)
                    .containsExactly("many_007");
        }
    }

    /**
     * Pages of 7 of every run of an organisation (merging its unfinished runs' and each finished status's pages), by
     * kind alone (merging each of its names' pages, or with more names than are merged, sorted), by name alone (merging
     * its page under each kind) and by both: every matching run once, in the order of one sort of them.
     */
    @Test
    void pagesByKindOrNameHoldEveryMatchingRunOnceNewestFirst() throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM runs WHERE id > 'run_000400'");
            for (int i = 0; i <= RunListing.MAX_MERGED + 40; i++) // tools of more names than are merged
            s.executeUpdate(
                        "INSERT INTO runs (id, kind, name, status, created_at, updated_at, org_id) VALUES ('tool_%03d',"
                                        .formatted(i)
                                + " 'tool', '" + (i % 7 == 0 ? "name7" : "tool" + i) + "', 'completed', "
                                + (1_000_100L + i % 9) + ", 0, 'default')");
        }
        RunStore store = database.equals("postgresql") ? StoreFactory.postgres(url) : StoreFactory.sqlite(dir, false);
        try (store) {
            assertThat(everyPage(store, all(7).withOrg("default")))
                    .as("every run of an organisation, from its unfinished runs' and each finished status's pages")
                    .containsExactlyElementsOf(sorted("org_id = 'default'"));
            for (RunKind kind : RunKind.values())
                assertThat(everyPage(store, new RunQuery(kind, null, null, 7, null).withOrg("default")))
                        .as("%s", kind)
                        .containsExactlyElementsOf(sorted("org_id = 'default' AND kind = '" + kind.wireName() + "'"));
            assertThat(everyPage(store, new RunQuery(null, "name7", null, 7, null).withOrg("default")))
                    .containsExactlyElementsOf(sorted("org_id = 'default' AND name = 'name7'"))
                    .anyMatch(id -> id.startsWith("tool_"))
                    .anyMatch(id -> id.startsWith("run_"));
            assertThat(everyPage(store, new RunQuery(RunKind.AGENT, "name10", null, 7, null)))
                    .containsExactlyElementsOf(sorted("kind = 'agent' AND name = 'name10'"))
                    .isNotEmpty();
            assertThat(everyPage(store, new RunQuery(RunKind.AGENT, null, null, 7, null)))
                    .as("across organisations")
                    .containsExactlyElementsOf(sorted("kind = 'agent'"));
        }
    }

    private static List<String> everyPage(RunStore store, RunQuery first) {
        List<String> paged = new ArrayList<>();
        RunQuery q = first;
        while (true) {
            RunPage page = store.listRuns(q);
            page.runs().stream().map(RunRecord::id).forEach(paged::add);
            if (page.nextCursor() == null) return paged;
            q = new RunQuery(q.kind(), q.name(), q.status(), q.limit(), page.nextCursor(), null, null, q.orgId());
        }
    }

    private List<String> sorted(String where) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT id FROM runs WHERE " + where + " ORDER BY created_at DESC, id DESC")) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    /**
     * The listing's statement over {@code orgs}, a kind's names read from the store as {@link RunListing} reads them.
     */
    private RunListing.Query query(RunQuery q, List<String> orgs) {
        return RunListing.query(
                q,
                RunListing.partitions(q, orgs, (org, kind, max) -> {
                    List<String> names = new ArrayList<>();
                    try (Connection c = DriverManager.getConnection(url);
                            PreparedStatement ps = c.prepareStatement(RunListing.NAMES)) {
                        Sql.bind(ps, new Object[] {org, kind, org, kind, max});
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) names.add(rs.getString(1));
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return names;
                }),
                database.equals("sqlite")); // each database's merge, as its store's reader chooses
    }

    /**
     * No table scan, and no sort of what an index found, except of a set that stays small however many runs the store
     * holds: unfinished runs, a thread's, a run's children (PostgreSQL may sort the few it finds through their index
     * rather than walk it in order).
     */
    private void readsAnIndexInOrder(String plan) {
        // SQLite: SEARCH is a seek into an index; SCAN (even USING INDEX) walks a whole table or index
        assertThat(plan).doesNotContain("Seq Scan", "TEMP B-TREE", "SCAN runs", "SCAN r\n", "SCAN r USING");
        // PostgreSQL: a Sort node (a Merge Append of pages read in order has a "Sort Key" but sorts nothing)
        if (SORT_NODE.matcher(plan).find())
            assertThat(plan).containsAnyOf("runs_unfinished", "runs_thread", "runs_parent");
    }

    private void readsNoTable(String plan) {
        assertThat(plan).doesNotContain("Seq Scan", "SCAN runs", "SCAN r\n", "SCAN r USING");
    }

    private String plan(String sql, List<Object> args) throws SQLException {
        String explain = database.equals("postgresql") ? "EXPLAIN " : "EXPLAIN QUERY PLAN ";
        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement(explain + sql)) {
            Sql.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                int column = database.equals("postgresql") ? 1 : 4;
                while (rs.next()) plan.append(rs.getString(column)).append('\n');
            }
        }
        return plan.toString();
    }
}
