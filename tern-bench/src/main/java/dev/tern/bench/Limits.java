package dev.tern.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-JDBC limit of a store: the minimum durable write per step (one insert, committed), one row per commit (the
 * floor for sequential steps, compared with workload 3) and {@value #ROWS_PER_BATCH} rows per commit (what batching
 * alone buys, compared with workload 1).
 */
final class Limits {
    static final int ROWS_PER_BATCH = 64;

    private Limits() {}

    static String label(SystemKind.Store store, int rowsPerCommit) {
        return "raw JDBC, " + (store == SystemKind.Store.SQLITE ? "SQLite" : "PostgreSQL") + ", " + rowsPerCommit
                + (rowsPerCommit == 1 ? " row/commit" : " rows/commit");
    }

    /**
     * Measures both limits {@code reps} times on fresh databases; adds throughput (rows/s) and step-overhead (µs/row)
     * rows.
     */
    static void measure(
            SystemKind.Store store,
            PostgresDatabase postgres,
            Path dataDir,
            int reps,
            int singleRows,
            int batchedRows,
            List<Result> results)
            throws SQLException {
        RawJdbcLimit limit = store == SystemKind.Store.SQLITE
                ? new RawJdbcLimit(() -> SqliteScratchDatabase.open(dataDir, true))
                : new RawJdbcLimit(() -> PostgresScratchSchema.open(postgres));
        List<Double> single = new ArrayList<>();
        List<Double> batched = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            Progress.of(label(store, 1), "repetition " + (r + 1) + "/" + reps);
            single.add(limit.rowsPerSecond(singleRows, 1, singleRows / 5));
            batched.add(limit.rowsPerSecond(batchedRows, ROWS_PER_BATCH, batchedRows / 5));
        }
        String one = label(store, 1);
        String many = label(store, ROWS_PER_BATCH);
        results.add(new Result(Workload.THROUGHPUT.label(), one, Metric.STEPS_PER_SECOND, Spread.of(single)));
        results.add(new Result(Workload.THROUGHPUT.label(), many, Metric.STEPS_PER_SECOND, Spread.of(batched)));
        results.add(new Result(
                Workload.STEPS.label(),
                one,
                Metric.MICROS_PER_STEP,
                Spread.of(single.stream().map(v -> 1e6 / v).toList())));
    }
}
