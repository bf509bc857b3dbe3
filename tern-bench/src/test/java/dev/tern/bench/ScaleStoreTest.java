package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale curve's stores. On PostgreSQL copies of a finished run fill it, and then it is vacuumed and analyzed as
 * autovacuum would after such a load, so that reads measure the store's size, not hint bits set by the first reader. On
 * SQLite its size is read while the engine runs, without a checkpoint the engine's connections could block.
 */
class ScaleStoreTest {
    private static final int RUNS = 300;

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

    @Test
    void sqlitesSizeCountsThePagesStillInTheLogWithoutCheckpointing(@TempDir Path parent) throws Exception {
        try (ScaleStore store = ScaleStore.sqlite(parent)) {
            TernEngine engine = store.engine();
            long before = store.bytesOnDisk();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) ids.add(engine.start(BenchWorkflows.STEPS, new BenchWorkflows.In(i, 3)));
            for (String id : ids)
                assertThat(engine.awaitCompletion(id, Duration.ofSeconds(30)).status())
                        .isEqualTo(RunStatus.COMPLETED);

            long after = store.bytesOnDisk();
            Path dir;
            try (var dirs = Files.list(parent)) {
                dir = dirs.findFirst().orElseThrow();
            }
            long file = Files.size(dir.resolve("tern.db"));
            long log = Files.size(dir.resolve("tern.db-wal"));
            assertThat(log).as("the log, not emptied by the measurement").isPositive();
            assertThat(after - before).as("the runs' pages").isGreaterThan(RUNS * 500L);
            assertThat(after)
                    .as("pages still only in the log counted, each once, the log's own frames not")
                    .isGreaterThan(file)
                    .isLessThan(file + log);
        }
    }
}
