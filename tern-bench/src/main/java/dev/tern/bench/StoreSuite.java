package dev.tern.bench;

import java.time.Duration;

/**
 * Everything measured for one fsync setting: the throughput and latency workloads, each on a
 * fresh engine and data directory, and the raw-JDBC limits they are compared with. Adds its rows
 * to the table.
 */
final class StoreSuite {
  /** How long one run may take before the bench calls it stuck. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final int LATENCY_WARMUP_MAX = 50;
  private static final int ROWS_PER_BATCH = 64;

  private final BenchOptions options;
  private final boolean fsync;
  private final String store;

  StoreSuite(BenchOptions options, boolean fsync) {
    this.options = options;
    this.fsync = fsync;
    this.store = fsync ? "sqlite fsync" : "sqlite no-fsync";
  }

  void run(ResultTable table) throws Exception {
    Measurement throughput = throughput();
    table.add(new ResultTable.Row(store, "throughput (" + options.inFlight() + " in flight)", throughput.workflowsPerSecond(),
        throughput.stepsPerSecond(), throughput.millisAt(50), throughput.millisAt(90), throughput.millisAt(99),
        throughput.batchSize(), null));

    Measurement latency = latency();
    table.add(new ResultTable.Row(store, "latency (1 step, sequential)", latency.workflowsPerSecond(), latency.stepsPerSecond(),
        latency.millisAt(50), latency.millisAt(90), latency.millisAt(99), latency.batchSize(), null));

    int rows = throughput.steps();
    RawJdbcLimit limit = new RawJdbcLimit(options.dataDir(), fsync);
    progress("raw JDBC limit, " + rows + " rows, 1 row/commit");
    double single = limit.rowsPerSecond(rows, 1, Math.min(rows, options.warmup()));
    table.add(new ResultTable.Row(store, "raw JDBC limit, 1 row/commit", null, single, null, null, null, 1.0,
        throughput.stepsPerSecond() / single));
    progress("raw JDBC limit, " + rows + " rows, " + ROWS_PER_BATCH + " rows/commit");
    double batched = limit.rowsPerSecond(rows, ROWS_PER_BATCH, Math.min(rows, options.warmup()));
    table.add(new ResultTable.Row(store, "raw JDBC limit, " + ROWS_PER_BATCH + " rows/commit", null, batched, null, null, null,
        (double) ROWS_PER_BATCH, throughput.stepsPerSecond() / batched));
  }

  private Measurement throughput() throws InterruptedException {
    try (BenchEngine bench = BenchEngine.open(options.dataDir(), fsync)) {
      ThroughputWorkload workload = new ThroughputWorkload(bench.engine(), options.inFlight(), RUN_TIMEOUT);
      if (options.warmup() > 0) {
        progress("throughput warmup, " + options.warmup() + " workflows");
        workload.run(options.warmup(), bench.writeCounters());
      }
      progress("throughput, " + options.workflows() + " workflows, " + options.inFlight() + " in flight");
      return workload.run(options.workflows(), bench.writeCounters());
    }
  }

  private Measurement latency() throws InterruptedException {
    try (BenchEngine bench = BenchEngine.open(options.dataDir(), fsync)) {
      LatencyWorkload workload = new LatencyWorkload(bench.engine(), RUN_TIMEOUT);
      int warmup = Math.min(options.warmup(), LATENCY_WARMUP_MAX);
      if (warmup > 0) {
        progress("latency warmup, " + warmup + " workflows");
        workload.run(warmup);
      }
      progress("latency, " + options.latencyWorkflows() + " one-step workflows in sequence");
      return workload.run(options.latencyWorkflows());
    }
  }

  private void progress(String what) {
    System.err.println("[" + store + "] " + what + " ...");
  }
}
