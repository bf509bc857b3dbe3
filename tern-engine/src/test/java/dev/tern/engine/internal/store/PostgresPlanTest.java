package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer keeps PostgreSQL's cached plans, so each hot statement's generic plan, the one made once while the tables
 * are new and empty, must find its row through the index meant for it: a plan scanning every running run through a
 * status index made each write grow with the number of runs (see V6__hot_path.sql and {@link RunsSql}).
 */
class PostgresPlanTest {
    private String schema;
    private Connection connection;

    @BeforeEach
    void migrateFreshSchema() throws SQLException {
        schema = PostgresTestDatabase.newSchema();
        StoreFactory.postgres(PostgresTestDatabase.url(schema)).close();
        connection = DriverManager.getConnection(PostgresTestDatabase.url(schema));
        try (Statement s = connection.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        connection.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void writesToOneRunUseItsPrimaryKey() throws SQLException {
        for (String sql : List.of(
                RunsSql.Postgres.CHECKPOINT.forEvents(1, 0).jdbc(),
                RunsSql.Postgres.CHECKPOINT.forEvents(2, 0).jdbc(),
                RunsSql.Postgres.CHECKPOINT.forEvents(2, 1).jdbc(),
                PostgresEndSql.END.forEvents(1, 0).jdbc(),
                PostgresEndSql.END_AFTER_STEP.forEvents(3, 0).jdbc(),
                PostgresEndSql.END_AFTER_STEP.forEvents(3, 1).jdbc(),
                PostgresEndSql.END_ALONE.forEvents(1, 0).jdbc(),
                PostgresEndSql.END_ALONE_AFTER_STEP.forEvents(3, 1).jdbc(),
                PostgresEndSql.END_ALONE_KNOWN.forEvents(1, 0).jdbc(),
                PostgresEndSql.END_ALONE_AFTER_STEP_KNOWN.forEvents(3, 1).jdbc(),
                RunsSql.SUSPEND.jdbc(),
                PostgresRunWrites.SUSPEND_WITH_EVENTS.forEvents(1, 0).jdbc(),
                PostgresRunWrites.SUSPEND_AFTER_STEP.forEvents(2, 0).jdbc(),
                RunsSql.Postgres.APPEND_OWNED_HISTORY.jdbc())) {
            String plan = genericPlan(sql);
            assertThat(plan)
                    .as(sql)
                    .contains("runs_pkey")
                    .doesNotContain(
                            "runs_unfinished", "runs_finished_created", "runs_owner", "runs_ready", "attempts_open");
        }
    }

    /**
     * A run read by its id keeps a generic plan (its connections do not plan each read): it must be the key's, even
     * made on an empty table. Not so for many ids, which a generic plan made then scans whole: those are planned each
     * time.
     */
    @Test
    void aRunReadByIdUsesThePrimaryKey() throws SQLException {
        assertThat(genericPlan(RunReader.BY_ID)).contains("runs_pkey").doesNotContain("Seq Scan");
        assertThat(genericPlan(RunReader.byIds(20)))
                .as("why runs read by many ids are planned each time")
                .contains("Seq Scan");
    }

    /**
     * The reads of one run's rows (its steps, history, attempts, inbox, interactions, input) keep generic plans too, on
     * the same connections: each must read an index by the run's id, never scan its table.
     */
    @Test
    void aRunsRowsReadByItsIdUseAnIndex() throws SQLException {
        assertThat(RunReader.BY_RUN).hasSize(11);
        for (String sql : RunReader.BY_RUN) {
            assertThat(genericPlan(sql)).as(sql).contains("Index").doesNotContain("Seq Scan");
        }
    }

    @Test
    void creatingARunScansNoIndex() throws SQLException {
        for (String sql : List.of(RunsSql.Postgres.INSERT_OWNED.jdbc(), RunsSql.Postgres.INSERT_QUEUED.jdbc())) {
            assertThat(genericPlan(sql)).as(sql).doesNotContain("Seq Scan", "Index Scan", "Bitmap");
        }
    }

    @Test
    void renewingLeasesUsesTheOwnerIndex() throws SQLException {
        // PostgreSQL renews and keeps alive in one statement, planned with the renewal's settings (RunClaims)
        assertThat(renewalPlan()).contains("runs_owner").doesNotContain("runs_unfinished");
    }

    @Test
    void writesOfWaitsAndResumptionsUseTheirRowsKeys() throws SQLException {
        for (String sql : List.of(
                RunsSql.Postgres.CHECKPOINT_CHANGING_WAIT.forEvents(1, 0).jdbc(),
                RunsSql.Postgres.CHECKPOINT_CHANGING_WAIT.forEvents(2, 1).jdbc(),
                RunsSql.NOTE_WAITING.jdbc())) {
            assertThat(genericPlan(sql))
                    .as(sql)
                    .contains("runs_pkey")
                    .doesNotContain("runs_unfinished", "runs_finished_created", "runs_owner", "runs_ready");
        }
        assertThat(genericPlan(AttemptRows.RESUME_IN_ONE.jdbc()))
                .contains("attempts_pkey")
                .doesNotContain("Seq Scan");
    }

    @Test
    void keepAlivesFindTheAttemptsThroughTheOwnerIndex() throws SQLException {
        assertThat(renewalPlan()).contains("runs_owner", "attempts_pkey").doesNotContain("Seq Scan");
    }

    /** The generic plan of a writer lane's renewal, in a transaction with the renewal's planner settings. */
    private String renewalPlan() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.executeQuery(RunClaims.INDEX_SCAN_ONLY).close();
            return genericPlan(RunClaims.RENEW_AND_KEEP_ALIVE_LANE.jdbc());
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /** EXPLAIN of the statement's generic plan: prepared with $n parameters, run with nulls (EXPLAIN runs nothing). */
    private String genericPlan(String jdbcSql) throws SQLException {
        StringBuilder sql = new StringBuilder();
        int params = 0;
        for (char c : jdbcSql.toCharArray()) {
            if (c == '?') sql.append('$').append(++params);
            else sql.append(c);
        }
        List<String> nulls = new ArrayList<>();
        for (int i = 0; i < params; i++) nulls.add("NULL");
        StringBuilder plan = new StringBuilder();
        try (Statement s = connection.createStatement()) {
            s.execute("DEALLOCATE ALL");
            s.execute("PREPARE hot AS " + sql);
            String args = params == 0 ? "" : "(" + String.join(", ", nulls) + ")";
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE hot" + args)) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
