package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step checkpoint changes no indexed column of the run's row, so on PostgreSQL it is a heap-only update (no index
 * entry written) when the row's page has room; V15 leaves that room. Checked in PostgreSQL's own table statistics after
 * real runs of three steps while a reader holds a snapshot: their checkpoint updates (one or two a run, besides its
 * end's) must be heap-only. Without the room about a third of all updates were (0.34 here, 5% in the throughput
 * benchmark).
 */
class PostgresHotUpdateTest {
    record In(int n) {}

    @Test
    void stepCheckpointsUpdateTheRunsRowWithoutTouchingItsIndexes() throws Exception {
        try (EngineFixture fixture = new EngineFixture(StoreKind.POSTGRESQL, null)) {
            assertHeapOnlyCheckpoints(fixture);
        }
    }

    private static void assertHeapOnlyCheckpoints(EngineFixture fixture) throws Exception {
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of("three-steps", In.class, Integer.class, (ctx, in) -> {
                    int a = ctx.step("one", Integer.class, () -> in.n() + 1);
                    int b = ctx.step("two", Integer.class, () -> a + 1);
                    return ctx.step("three", Integer.class, () -> b + 1);
                }))
                .build();
        TernEngine engine = fixture.start(definitions);
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl())) {
            // a reader's snapshot held open, as under load: the rows' old versions cannot be pruned meanwhile, so only
            // room left free in the pages lets the new ones stay there
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            runsUpdates(c);
            for (int i = 0; i < 400; i++) ids.add(engine.start("three-steps", new In(i)));
            for (String id : ids)
                assertThat(engine.awaitCompletion(id, Duration.ofSeconds(30)).status())
                        .isEqualTo(RunStatus.COMPLETED);
            c.rollback();
            c.setAutoCommit(true);
            // backends report their table statistics within about a second of going idle; a run's end (one update
            // each) changes indexed columns, its checkpoints (one or two: the first is often written with the run's
            // creation) should not
            int runs = ids.size();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                long[] updates = runsUpdates(c);
                return updates[0] >= 2L * runs && heapOnlyCheckpoints(updates, runs) > 0.75;
            });
            assertThat(heapOnlyCheckpoints(runsUpdates(c), runs)).isGreaterThan(0.75);
        }
    }

    /** The heap-only share of the checkpoints' updates: all updates but the runs' ends. */
    private static double heapOnlyCheckpoints(long[] updates, int runs) {
        return updates[0] <= runs ? 0 : (double) updates[1] / (updates[0] - runs);
    }

    /** Updates of this schema's runs table, and how many of them were heap-only. */
    private static long[] runsUpdates(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                + " WHERE schemaname = current_schema() AND relname = 'runs'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
            }
        }
    }
}
