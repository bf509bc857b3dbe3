package dev.tern.bench;

import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.Recorder;

/**
 * Workload 1, "throughput": workflows of three no-op steps run to completion with at most K
 * scheduled but unfinished at once. Each run gets a virtual thread that schedules it on the next
 * node (round-robin), awaits its completion on that node and records the schedule-to-completion
 * time; a semaphore of K permits bounds them.
 */
final class ThroughputWorkload {
  private final Nodes nodes;
  private final int inFlight;
  private final Duration timeout;

  ThroughputWorkload(Nodes nodes, int inFlight, Duration timeout) {
    this.nodes = nodes;
    this.inFlight = inFlight;
    this.timeout = timeout;
  }

  /** Runs {@code count} workflows; every one must complete, else it throws naming the failures. */
  Measurement run(int count) throws InterruptedException {
    RunFailures failures = new RunFailures();
    Recorder recorder = new Recorder(3);
    Semaphore permits = new Semaphore(inFlight);
    long[] countersBefore = nodes.writeCounters();
    int scheduled = 0;
    long start = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (; scheduled < count && failures.count() == 0; scheduled++) {
        permits.acquire();
        int index = scheduled;
        workers.execute(() -> {
          try {
            runOne(index, recorder, failures);
          } finally {
            permits.release();
          }
        });
      }
    }
    long wall = System.nanoTime() - start;
    long[] countersAfter = nodes.writeCounters();
    failures.throwIfAny("throughput");
    return new Measurement(count, count * BenchWorkflows.STEPS_PER_WORKFLOW, wall, recorder.getIntervalHistogram(),
        Measurement.batchSize(countersBefore, countersAfter));
  }

  private void runOne(int index, Recorder recorder, RunFailures failures) {
    String what = "workflow #" + index;
    TernEngine engine = nodes.forRun(index);
    try {
      long t0 = System.nanoTime();
      String id = engine.start(BenchWorkflows.THREE_STEPS, new BenchWorkflows.In(index));
      what = "run " + id + " (scheduled on " + engine.nodeId() + ")";
      RunRecord run = engine.awaitCompletion(id, timeout);
      recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
      failures.check(id, run);
    } catch (Exception | Error e) {
      failures.thrown(what, e);
    }
  }
}
