package dev.tern.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The raw-JDBC limit of a store: the minimum durable write per step (one insert, committed), one row per commit (the
 * floor for sequential steps, compared with workload 3, and its commits' percentiles the floor under workload 2's tail)
 * and {@value #ROWS_PER_BATCH} rows per commit (what batching alone buys, compared with workload 1).
 */
final class Limits {
    static final int ROWS_PER_BATCH = 64;

    private Limits() {}

    static String label(SystemKind.Store store, int rowsPerCommit) {
        return "raw JDBC, " + (store == SystemKind.Store.SQLITE ? "SQLite" : "PostgreSQL") + ", " + rowsPerCommit
                + (rowsPerCommit == 1 ? " row/commit" : " rows/commit");
    }

    /**
     * A store's limits measured in rounds spread over the bench: some repetitions before the systems run and the rest
     * after them, reported together. The machine's disk and CPU drift over the minutes a bench takes (raw JDBC on
     * PostgreSQL ran at 8,300 to 24,000 rows/s with 64 per commit across one day's runs), and limits measured only at
     * the end compared every system with the machine of its last minutes.
     */
    static final class Rounds {
        private final SystemKind.Store store;
        private final RawJdbcLimit limit;
        private final int singleRows;
        private final int batchedRows;
        private final List<Double> single = new ArrayList<>();
        private final List<Double> batched = new ArrayList<>();
        private final List<Histogram> commits = new ArrayList<>();

        Rounds(SystemKind.Store store, PostgresDatabase postgres, Path dataDir, int singleRows, int batchedRows) {
            this.store = store;
            this.limit = store == SystemKind.Store.SQLITE
                    ? new RawJdbcLimit(() -> SqliteScratchDatabase.open(dataDir, true))
                    : new RawJdbcLimit(() -> PostgresScratchSchema.open(postgres));
            this.singleRows = singleRows;
            this.batchedRows = batchedRows;
        }

        String label() {
            return Limits.label(store, 1);
        }

        /** Measures both limits {@code reps} more times, each on a fresh database. */
        void measure(int reps, int total) throws SQLException {
            for (int r = 0; r < reps; r++) {
                Progress.of(label(), "repetition " + (single.size() + 1) + "/" + total);
                RawJdbcLimit.Measured one = limit.rowsPerSecond(singleRows, 1, singleRows / 5);
                single.add(one.rowsPerSecond());
                commits.add(one.commits());
                batched.add(limit.rowsPerSecond(batchedRows, ROWS_PER_BATCH, batchedRows / 5)
                        .rowsPerSecond());
            }
        }

        /**
         * Adds the throughput (rows/s) and step-overhead (µs/row) rows of every repetition measured, and with
         * {@code latency} the one-row commits' p50, p90 and p99 to workload 2: a one-step workflow commits at least
         * once, so its tail is at least the commit's (a p99 within 2x of its p50 needs commits that spread less).
         */
        void addResults(List<Result> results, boolean latency) {
            if (single.isEmpty()) return;
            String one = Limits.label(store, 1);
            String many = Limits.label(store, ROWS_PER_BATCH);
            results.add(new Result(Workload.THROUGHPUT.label(), one, Metric.STEPS_PER_SECOND, Spread.of(single)));
            results.add(new Result(Workload.THROUGHPUT.label(), many, Metric.STEPS_PER_SECOND, Spread.of(batched)));
            results.add(new Result(
                    Workload.STEPS.label(),
                    one,
                    Metric.MICROS_PER_STEP,
                    Spread.of(single.stream().map(v -> 1e6 / v).toList())));
            if (!latency) return;
            String w = Workload.LATENCY.label();
            results.add(new Result(w, one, Metric.P50_MS, percentile(50)));
            results.add(new Result(w, one, Metric.P90_MS, percentile(90)));
            results.add(new Result(w, one, Metric.P99_MS, percentile(99)));
        }

        private Spread percentile(double p) {
            Function<Histogram, Double> ms = h -> h.getValueAtPercentile(p) / 1000.0;
            return Spread.of(commits.stream().map(ms).toList());
        }
    }

    /** How many of {@code reps} repetitions run before the systems: half, rounded down, at least one of two or more. */
    static int before(int reps) {
        return reps / 2;
    }
}
