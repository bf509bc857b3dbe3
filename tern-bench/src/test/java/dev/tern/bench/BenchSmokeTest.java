package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke test of the harness with toy sizes on the embedded store only (a few seconds); the benchmarks themselves run
 * from bench/run.
 */
class BenchSmokeTest {
    @Test
    void parsesSizesAndLists() throws Exception {
        BenchOptions quick = BenchOptions.parse(
                "--quick", "--systems", "tern-sqlite,temporal", "--workloads", "latency", "--reps", "2");
        assertThat(quick.systems()).containsExactly(SystemKind.TERN_SQLITE, SystemKind.TEMPORAL);
        assertThat(quick.workloads()).containsExactly(Workload.LATENCY);
        assertThat(quick.sizes().repetitions()).isEqualTo(2);
        assertThat(quick.sizes().workflows()).isEqualTo(BenchOptions.Sizes.QUICK.workflows());
        assertThat(quick.sizes().warmupSeconds()).isEqualTo(BenchOptions.Sizes.QUICK.warmupSeconds());
        assertThat(BenchOptions.parse("--warmup-seconds", "7").sizes().warmupSeconds())
                .isEqualTo(7);
        assertThatThrownBy(() -> BenchOptions.parse("--warmup-seconds", "0"))
                .isInstanceOf(BenchOptions.UsageException.class);
        assertThat(BenchOptions.parse().systems())
                .doesNotContain(SystemKind.TERN_SQLITE_OBSERVED, SystemKind.TERN_PG_OBSERVED)
                .contains(SystemKind.TERN_SQLITE, SystemKind.DBOS);
        assertThatThrownBy(() -> BenchOptions.parse("--systems", "nope"))
                .isInstanceOf(BenchOptions.UsageException.class);
    }

    @Test
    void medianAndRatios() {
        assertThat(Spread.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
        assertThat(Spread.of(List.of(4.0, 1.0)).median()).isEqualTo(2.5);
        List<Result> rated = Ratios.apply(List.of(
                new Result(
                        Workload.THROUGHPUT.label(),
                        SystemKind.TERN_PG.label(),
                        Metric.WORKFLOWS_PER_SECOND,
                        Spread.single(300)),
                new Result(
                        Workload.THROUGHPUT.label(),
                        SystemKind.DBOS.label(),
                        Metric.WORKFLOWS_PER_SECOND,
                        Spread.single(100))));
        assertThat(rated.get(1).ternOverPeer()).isEqualTo(3.0);
    }

    @Test
    void observedTelemetryScrapesAndExportsEverySpan(@TempDir Path dir) throws Exception {
        ObservedTelemetry telemetry = ObservedTelemetry.start();
        try {
            try (TernContender tern = new TernContender(SqliteSetup.open(dir, false, 100, telemetry.observability()))) {
                tern.runSteps(0, 3);
                assertThat(telemetry.scrape()).contains("tern_runs_finished_total", "tern_step_duration_seconds");
            }
        } finally {
            telemetry.close();
        }
        // a run scheduled outside any span: its "schedule" span, the attempt's, one per step
        assertThat(telemetry.spansEnded()).isGreaterThanOrEqualTo(5);
        assertThat(telemetry.spansExported()).isEqualTo(telemetry.spansEnded());
        assertThat(telemetry.sinkRequests()).isPositive();
    }

    @Test
    void observedVariantIsRatedAgainstPlainTern() {
        List<Result> rated = Ratios.apply(List.of(
                new Result(Workload.LATENCY.label(), SystemKind.TERN_SQLITE.label(), Metric.P50_MS, Spread.single(2)),
                new Result(
                        Workload.LATENCY.label(),
                        SystemKind.TERN_SQLITE_OBSERVED.label(),
                        Metric.P50_MS,
                        Spread.single(2.5))));
        assertThat(rated.get(0).observedOverPlain()).isNull();
        assertThat(rated.get(1).observedOverPlain()).isEqualTo(1.25);
    }

    @Test
    void runsTernOnSqliteWithToySizes(@TempDir Path dir) throws Exception {
        int exit = runToySized(
                dir,
                "--systems",
                "tern-sqlite,tern-sqlite-observed",
                "--workloads",
                "throughput,latency,steps,observability",
                "--latency",
                "5",
                "--chain",
                "5");
        assertThat(exit).isZero();
        assertThat(Files.readString(dir.resolve("out/results.csv")))
                .contains("Tern, SQLite", "Tern, SQLite, observed", "raw JDBC, SQLite, 1 row/commit")
                .contains("observed_over_plain")
                .contains(Workload.OBSERVABILITY.label(), Metric.PAIRED_WORKFLOWS_RATIO.label());
        assertThat(dir.resolve("out/results.json")).exists();
        assertThat(dir.resolve("out/results.png")).exists();
        // the heap a workflow allocates, next to its CPU time: a three-step workflow cannot allocate nothing
        assertThat(median(dir.resolve("out/results.csv"), "Tern, SQLite", Metric.ALLOCATED_KIB_PER_WORKFLOW))
                .isGreaterThan(1.0);
        // a three-step workflow is several writes (creation, checkpoints, end), each in some commit
        assertThat(median(dir.resolve("out/results.csv"), "Tern, SQLite", Metric.WRITES_PER_COMMIT))
                .isGreaterThanOrEqualTo(1.0);
    }

    /** The median of {@code metric} for {@code system} in a results.csv. */
    private static double median(Path csv, String system, Metric metric) throws java.io.IOException {
        String prefix = "\"" + Workload.THROUGHPUT.label() + "\",\"" + system + "\",\"" + metric.label() + "\",";
        String line = Files.readAllLines(csv).stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric.label() + " for " + system + " in " + csv));
        return Double.parseDouble(line.substring(prefix.length()).split(",")[0]);
    }

    @Test
    void rawLimitsMeasuredBeforeAndAfterTheSystemsAreReportedTogether(@TempDir Path dir) throws Exception {
        Limits.Rounds limit = new Limits.Rounds(SystemKind.Store.SQLITE, null, dir, 20, 128);
        limit.measure(Limits.before(3), 3);
        limit.measure(3 - Limits.before(3), 3);
        java.util.List<Result> results = new java.util.ArrayList<>();
        limit.addResults(results, true);

        assertThat(Limits.before(3)).isEqualTo(1);
        assertThat(Limits.before(1)).isZero();
        assertThat(results).hasSize(6);
        assertThat(results).allSatisfy(r -> assertThat(r.value().repetitions()).isEqualTo(3));
        // the one-row commits' own percentiles, in workload 2: a fsynced SQLite commit takes time, and p99 >= p50
        Result p50 = only(results, Metric.P50_MS);
        Result p99 = only(results, Metric.P99_MS);
        assertThat(p50.workload()).isEqualTo(Workload.LATENCY.label());
        assertThat(p50.value().median()).isGreaterThan(0.0);
        assertThat(p99.value().median()).isGreaterThanOrEqualTo(p50.value().median());
        java.util.List<Result> without = new java.util.ArrayList<>();
        limit.addResults(without, false);
        assertThat(without).extracting(Result::metric).doesNotContain(Metric.P50_MS, Metric.P99_MS);
    }

    @Test
    void latencyIsRatedAgainstTheRawOneRowCommit() {
        String raw = Limits.label(SystemKind.Store.POSTGRES, 1);
        List<Result> rated = Ratios.apply(List.of(
                new Result(Workload.LATENCY.label(), SystemKind.TERN_PG.label(), Metric.P99_MS, Spread.single(3)),
                new Result(Workload.LATENCY.label(), raw, Metric.P99_MS, Spread.single(2))));
        assertThat(rated.get(0).ternOverLimit()).isEqualTo(1.5);
    }

    private static Result only(java.util.List<Result> results, Metric metric) {
        return results.stream().filter(r -> r.metric() == metric).findFirst().orElseThrow();
    }

    @Test
    void pairsRestWithTernInProcess(@TempDir Path dir) throws Exception {
        int exit = runToySized(dir, "--systems", "tern-pg-rest-wait", "--workloads", "rest");
        assertThat(exit).isZero();
        assertThat(Files.readString(dir.resolve("out/results.csv")))
                .contains(Workload.REST_PAIRED.label(), "Tern, PostgreSQL, REST, one request")
                .contains(Metric.PAIRED_REST_WORKFLOWS_RATIO.label(), Metric.PAIRED_REST_CPU_RATIO.label());
    }

    @Test
    void runsDocumentsOfEachInputSize(@TempDir Path dir) throws Exception {
        int exit = runToySized(dir, "--systems", "tern-sqlite", "--workloads", "inputs");
        assertThat(exit).isZero();
        String csv = Files.readString(dir.resolve("out/results.csv"));
        for (int kib : InputSizeWorkload.KIB) {
            String system = InputSizeWorkload.label(SystemKind.TERN_SQLITE, kib);
            String prefix = "\"" + Workload.INPUTS.label() + "\",\"" + system + "\",\""
                    + Metric.WORKFLOWS_PER_SECOND.label() + "\",";
            assertThat(csv.lines().filter(l -> l.startsWith(prefix)).findFirst())
                    .as(system)
                    .hasValueSatisfying(l -> assertThat(Double.parseDouble(
                                    l.substring(prefix.length()).split(",")[0]))
                            .isPositive());
        }
    }

    @Test
    void runsConversations(@TempDir Path dir) throws Exception {
        int exit = runToySized(dir, "--systems", "tern-sqlite", "--workloads", "conversation");
        assertThat(exit).isZero();
        String prefix = "\"" + Workload.CONVERSATION.label() + "\",\"" + SystemKind.TERN_SQLITE.label() + "\",\""
                + Metric.WORKFLOWS_PER_SECOND.label() + "\",";
        assertThat(Files.readString(dir.resolve("out/results.csv"))
                        .lines()
                        .filter(l -> l.startsWith(prefix))
                        .findFirst())
                .hasValueSatisfying(l -> assertThat(
                                Double.parseDouble(l.substring(prefix.length()).split(",")[0]))
                        .isPositive());
    }

    @Test
    void reportsThePostgresServersCpuNextToTheProcesss(@TempDir Path dir) throws Exception {
        int exit = runToySized(dir, "--systems", "tern-pg", "--workloads", "throughput");
        assertThat(exit).isZero();
        assertThat(Files.readString(dir.resolve("out/results.csv")))
                .contains(Metric.CPU_MICROS_PER_WORKFLOW.label(), Metric.SERVER_CPU_MICROS_PER_WORKFLOW.label());
        assertThat(median(dir.resolve("out/results.csv"), "Tern, PostgreSQL", Metric.WRITES_PER_COMMIT))
                .isGreaterThanOrEqualTo(1.0);
    }

    /** The bench with {@code args}, one repetition of 20 workflows, writing under {@code dir}. */
    private static int runToySized(Path dir, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of(
                "--reps",
                "1",
                "--workflows",
                "20",
                "--warmup-seconds",
                "1",
                "--data-dir",
                dir.resolve("data").toString(),
                "--out",
                dir.resolve("out").toString()));
        return BenchMain.run(all.toArray(String[]::new));
    }
}
