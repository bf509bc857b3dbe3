package dev.tern.bench;

import org.HdrHistogram.Histogram;

/**
 * Workload 2, "latency": one-step workflows scheduled one after another, each awaited before the next is scheduled, so
 * each sample is one run's schedule-to-completion on an idle system.
 */
final class LatencyWorkload {
    private final Contender contender;

    LatencyWorkload(Contender contender) {
        this.contender = contender;
    }

    /** Runs {@code count} workflows in sequence (numbered from {@code first}); returns their latencies in µs. */
    Histogram run(int first, int count) throws Exception {
        Histogram latency = new Histogram(3);
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            contender.runSteps(first + i, 1);
            latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
        }
        return latency;
    }
}
