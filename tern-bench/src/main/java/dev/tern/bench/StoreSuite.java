package dev.tern.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything measured for one store: the throughput and latency workloads, each on fresh engines
 * and a fresh store, and the raw-JDBC limits they are compared with. Adds its rows to the table,
 * and which node ran what to {@code shares} when the store can tell.
 */
final class StoreSuite {
  /** How long one run may take before the bench calls it stuck. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final int LATENCY_WARMUP_MAX = 50;
  private static final int ROWS_PER_BATCH = 64;

  private final BenchOptions options;
  private final Stores stores;
  private final StoreKind kind;
  private final String store;

  StoreSuite(BenchOptions options, Stores stores, StoreKind kind) {
    this.options = options;
    this.stores = stores;
    this.kind = kind;
    this.store = kind.label();
  }

  void run(ResultTable table, List<NodeShare> shares) throws Exception {
    String throughputName = "throughput (" + options.inFlight() + " in flight)";
    Measurement throughput = throughput(throughputName, shares);
    table.add(new ResultTable.Row(store, throughputName, throughput.workflowsPerSecond(),
        throughput.stepsPerSecond(), throughput.millisAt(50), throughput.millisAt(90), throughput.millisAt(99),
        throughput.batchSize(), null));

    String latencyName = "latency (1 step, sequential)";
    Measurement latency = latency(latencyName, shares);
    table.add(new ResultTable.Row(store, latencyName, latency.workflowsPerSecond(), latency.stepsPerSecond(),
        latency.millisAt(50), latency.millisAt(90), latency.millisAt(99), latency.batchSize(), null));

    int rows = throughput.steps();
    RawJdbcLimit limit = stores.rawLimit(kind);
    progress("raw JDBC limit, " + rows + " rows, 1 row/commit");
    double single = limit.rowsPerSecond(rows, 1, Math.min(rows, options.warmup()));
    table.add(new ResultTable.Row(store, "raw JDBC limit, 1 row/commit", null, single, null, null, null, 1.0,
        throughput.stepsPerSecond() / single));
    progress("raw JDBC limit, " + rows + " rows, " + ROWS_PER_BATCH + " rows/commit");
    double batched = limit.rowsPerSecond(rows, ROWS_PER_BATCH, Math.min(rows, options.warmup()));
    table.add(new ResultTable.Row(store, "raw JDBC limit, " + ROWS_PER_BATCH + " rows/commit", null, batched, null, null, null,
        (double) ROWS_PER_BATCH, throughput.stepsPerSecond() / batched));
  }

  private Measurement throughput(String name, List<NodeShare> shares) throws InterruptedException {
    try (StoreSetup setup = stores.open(kind)) {
      ThroughputWorkload workload = new ThroughputWorkload(setup.nodes(), options.inFlight(), RUN_TIMEOUT);
      if (options.warmup() > 0) {
        progress("throughput warmup, " + options.warmup() + " workflows");
        workload.run(options.warmup());
      }
      progress("throughput, " + options.workflows() + " workflows, " + options.inFlight() + " in flight");
      return measure(setup, name, shares, () -> workload.run(options.workflows()));
    }
  }

  private Measurement latency(String name, List<NodeShare> shares) throws InterruptedException {
    try (StoreSetup setup = stores.open(kind)) {
      LatencyWorkload workload = new LatencyWorkload(setup.nodes(), RUN_TIMEOUT);
      int warmup = Math.min(options.warmup(), LATENCY_WARMUP_MAX);
      if (warmup > 0) {
        progress("latency warmup, " + warmup + " workflows");
        workload.run(warmup);
      }
      progress("latency, " + options.latencyWorkflows() + " one-step workflows in sequence");
      return measure(setup, name, shares, () -> workload.run(options.latencyWorkflows()));
    }
  }

  /** A measured phase: runs it and notes which node ran what (also on stderr if the phase failed). */
  private Measurement measure(StoreSetup setup, String name, List<NodeShare> shares, Phase phase) throws InterruptedException {
    Map<String, Long> before = setup.attemptsPerNode();
    Measurement m;
    try {
      m = phase.run();
    } catch (RuntimeException e) {
      Map<String, Long> after = setup.attemptsPerNode();
      if (!after.isEmpty()) System.err.println("[" + store + "] " + name + " failed; attempts per node before: " + before + ", after: " + after);
      throw e;
    }
    NodeShare share = NodeShare.between(store, name, m.workflows(), before, setup.attemptsPerNode());
    if (share != null) shares.add(share);
    return m;
  }

  @FunctionalInterface
  private interface Phase {
    Measurement run() throws InterruptedException;
  }

  private void progress(String what) {
    System.err.println("[" + store + "] " + what + " ...");
  }
}
