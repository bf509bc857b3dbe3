package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a node renews its leases by finding its runs in {@code runs_owner}, which keeps an entry for every run
 * the node has ended until a vacuum. The renewal reads that index in a plain index scan, which marks the dead entries
 * as it passes (a bitmap scan visits them all on every renewal and marks none), and keeps the node's attempts alive in
 * the same statement, by their keys (not a scan of every attempt).
 */
class LeaseRenewalPlanTest {
    /** Runs the node executed; one in ten (ids ending in 7) still running, the rest ended since the last vacuum. */
    private static final int RUNS = 20_000;

    private static final int OWNED = RUNS / 10;

    private String schema;
    private String url;
    private RunStore store;

    @BeforeEach
    void fill() throws SQLException {
        schema = PostgresTestDatabase.newSchema();
        url = PostgresTestDatabase.url(schema);
        store = StoreFactory.postgres(url);
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement run = c.prepareStatement(
                            "INSERT INTO runs (id, kind, name, status, created_at, updated_at, attempt, owner, org_id)"
                                    + " VALUES (?, 'workflow', 'flow', 'running', 1, 1, 1, 'node-a', 'default')");
                    PreparedStatement attempt = c.prepareStatement("INSERT INTO attempts (run_id, attempt, node_id,"
                            + " started_at, last_keep_alive_at) VALUES (?, 1, 'node-a', 1, 1)")) {
                for (int i = 0; i < RUNS; i++) {
                    run.setString(1, id(i));
                    run.addBatch();
                    attempt.setString(1, id(i));
                    attempt.addBatch();
                }
                run.executeBatch();
                attempt.executeBatch();
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                // the runs the node has ended since the last vacuum: their old row versions keep their index entries
                s.executeUpdate("UPDATE runs SET status = 'completed', owner = NULL WHERE right(id, 1) <> '7'");
                c.commit();
                c.setAutoCommit(true);
                s.execute("ANALYZE runs");
            }
        }
    }

    @AfterEach
    void drop() {
        store.close();
        PostgresTestDatabase.drop(schema);
    }

    private static String id(int i) {
        return "run_%06d".formatted(i);
    }

    @Test
    void theRenewalReadsTheNodesRunsInAPlainIndexScan() throws SQLException {
        // left to itself the planner reads a table in full or the node's index in a bitmap scan (here: all attempts)
        assertThat(plan(false)).as("the planner's own choice").containsAnyOf("Seq Scan", "Bitmap");
        assertThat(plan(true))
                .as("the renewal's")
                .contains("Index Scan using runs_owner", "Index Scan using attempts_pkey")
                .doesNotContain("Bitmap", "Seq Scan");
    }

    @Test
    void theRenewalIsPlannedSoEveryTime() throws SQLException {
        List<String> sent = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            Tx tx = new Tx(GroupCommitWriterTest.proxy(Connection.class, c, (method, args) -> {
                if (method.getName().equals("prepareStatement")) sent.add((String) args[0]);
                return null;
            }));
            Instant now = Instant.ofEpochMilli(5_000);
            assertThat(new RunClaims(null, Dialect.POSTGRESQL).renew(tx, "node-a", now, now.plusSeconds(30), 1, 2))
                    .isNotEmpty();
            c.rollback();
            tx.closeStatements();
        }
        int renewal = sent.indexOf(sent.stream()
                .filter(sql -> sql.contains("UPDATE runs SET ready_at"))
                .findFirst()
                .orElseThrow());
        assertThat(renewal).isPositive();
        assertThat(sent.get(renewal - 1)).isEqualTo(RunClaims.INDEX_SCAN_ONLY);
        assertThat(sent).hasSize(renewal + 2); // and the settings put back after it
    }

    @Test
    void theRenewalKeepsTheNodesRunningAttemptsAliveAndNoOthers() throws Exception {
        Instant now = Instant.ofEpochMilli(5_000);
        List<OwnedRun> owned = Futures.await(store.renewLeases("node-a", now, now.plusSeconds(30)));

        assertThat(owned).hasSize(OWNED).allSatisfy(o -> assertThat(o.runId()).endsWith("7"));
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE last_keep_alive_at = 5000),"
                        + " count(*) FILTER (WHERE last_keep_alive_at = 5000 AND right(run_id, 1) <> '7'),"
                        + " (SELECT count(*) FROM runs WHERE ready_at = 35000) FROM attempts")) {
            rs.next();
            assertThat(rs.getInt(1)).as("attempts kept alive").isEqualTo(OWNED);
            assertThat(rs.getInt(2)).as("of ended runs").isZero();
            assertThat(rs.getInt(3)).as("leases renewed").isEqualTo(OWNED);
        }
    }

    /** The renewal's plan (one lane of one), with the renewal's planner setting or without. */
    private String plan(boolean asTheRenewal) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            Tx tx = new Tx(c);
            if (asTheRenewal) tx.query(RunClaims.INDEX_SCAN_ONLY, rs -> rs.getString(1));
            NamedSql.Params params = NamedSql.Params.of("nodeId", "node-a")
                    .and("now", Instant.ofEpochMilli(5))
                    .and("leaseUntil", Instant.ofEpochMilli(9));
            List<String> lines = tx.query(
                    NamedSql.parse("EXPLAIN " + RunClaims.renewAndKeepAlive("")), rs -> rs.getString(1), params);
            c.rollback();
            tx.closeStatements();
            return String.join("\n", lines);
        }
    }
}
