package dev.tern.bench;

import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Workload 2, "latency": one-step workflows scheduled one after another (on the nodes in turn),
 * each awaited before the next is scheduled, so the time measured is one run's
 * schedule-to-completion on an idle engine.
 */
final class LatencyWorkload {
  private final Nodes nodes;
  private final Duration timeout;

  LatencyWorkload(Nodes nodes, Duration timeout) {
    this.nodes = nodes;
    this.timeout = timeout;
  }

  /** Runs {@code count} workflows in sequence; every one must complete, else it throws. */
  Measurement run(int count) throws InterruptedException {
    RunFailures failures = new RunFailures();
    Histogram latency = new Histogram(3);
    long[] before = nodes.writeCounters();
    long start = System.nanoTime();
    for (int i = 0; i < count && failures.count() == 0; i++) {
      TernEngine engine = nodes.forRun(i);
      long t0 = System.nanoTime();
      String id = engine.start(BenchWorkflows.ONE_STEP, new BenchWorkflows.In(i));
      RunRecord run = engine.awaitCompletion(id, timeout);
      latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
      failures.check(id, run);
    }
    long wall = System.nanoTime() - start;
    failures.throwIfAny("latency");
    return new Measurement(count, count, wall, latency, Measurement.batchSize(before, nodes.writeCounters()));
  }
}
