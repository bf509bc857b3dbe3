package dev.tern.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one measured phase produced: how many workflows (and steps) finished in how much wall
 * time, their schedule-to-completion latencies in microseconds, and the mean group-commit batch
 * size over the phase (NaN when not measured).
 */
record Measurement(int workflows, int steps, long wallNanos, Histogram latencyMicros, double batchSize) {

  double seconds() {
    return wallNanos / (double) TimeUnit.SECONDS.toNanos(1);
  }

  double workflowsPerSecond() {
    return workflows / seconds();
  }

  double stepsPerSecond() {
    return steps / seconds();
  }

  /** The latency at {@code percentile} (0-100), in milliseconds. */
  double millisAt(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Mean batch size from two readings of {@code storeWriteCounters()} ({writes, transactions}). */
  static double batchSize(long[] before, long[] after) {
    long transactions = after[1] - before[1];
    return transactions == 0 ? Double.NaN : (after[0] - before[0]) / (double) transactions;
  }
}
