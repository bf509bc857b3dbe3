package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The scale curve's store on PostgreSQL: copies of a finished run fill it, and then it is vacuumed and analyzed as
 * autovacuum would after such a load, so that reads measure the store's size, not hint bits set by the first reader.
 */
class ScaleStoreTest {
    @Test
    void copiesOfARunAreVacuumedAndAnalyzedAfterTheLoad() throws Exception {
        try (ScaleStore store = ScaleStore.postgres(new PostgresDatabase(PostgresDatabase.DEFAULT_URL))) {
            TernEngine engine = store.engine();
            String id = engine.start(BenchWorkflows.STEPS, new BenchWorkflows.In(0, 3));
            assertThat(engine.awaitCompletion(id, Duration.ofSeconds(30)).status())
                    .isEqualTo(RunStatus.COMPLETED);
            store.copy(store.template(id), 0, 300, System.currentTimeMillis() - 60_000, 10);
            store.afterBulkLoad();

            assertThat(store.engine().run(store.runId(299)))
                    .as("a copy, read by the restarted engine")
                    .isPresent();
            try (PreparedStatement ps = store.sql.prepareStatement(
                            "SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables"
                                    + " WHERE schemaname = current_schema()"
                                    + " AND relname IN ('runs', 'history', 'steps', 'attempts') ORDER BY relname");
                    ResultSet rs = ps.executeQuery()) {
                int tables = 0;
                while (rs.next()) {
                    tables++;
                    assertThat(rs.getBoolean(2))
                            .as(rs.getString(1) + " vacuumed")
                            .isTrue();
                    assertThat(rs.getBoolean(3))
                            .as(rs.getString(1) + " analyzed")
                            .isTrue();
                }
                assertThat(tables).isEqualTo(4);
            }
        }
    }
}
