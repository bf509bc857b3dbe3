package dev.tern.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warms a system up for workload 1 until the JIT compiler has settled: batches of workflows are run and discarded, in
 * windows of at least {@value #WINDOW_SECONDS} s, until a window spends less than {@value #SETTLED_PERCENT}% of its
 * wall time compiling (the JVM's compilation time, summed over its compiler threads) or a time limit has gone by. A
 * fixed warmup was not enough: on two cores Tern compiled for about 15 s over its first 24,000 in-process workflows and
 * 40 s over its first 20,000 through REST, so the medians of five repetitions after 2,000 warmup workflows measured the
 * compiler as much as the system, and the REST rows more than the others. The window keeps a quiet moment between two
 * bursts of compiling from passing for the end.
 */
final class JitWarmup {
    static final int SETTLED_PERCENT = 5;
    static final int WINDOW_SECONDS = 3;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /** Hands out the numbers of the workflows a batch runs. */
    interface Numbers {
        int take(int count);
    }

    /** How the warmup went: the workflows it ran and whether the compiler settled before the time limit. */
    record Done(int workflows, double seconds, boolean settled) {}

    private JitWarmup() {}

    /**
     * Runs batches of {@code batch} workflows until the compiler settled or {@code maxSeconds} passed (one batch where
     * the JVM cannot tell).
     */
    static Done run(ThroughputWorkload workload, Numbers numbers, int batch, int maxSeconds, String label)
            throws InterruptedException {
        boolean measurable = JIT != null && JIT.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int workflows = 0;
        for (int window = 1; ; window++) {
            Progress.of(label, "throughput warmup, window " + window + " (batches of " + batch + " workflows)");
            long compiledBefore = measurable ? JIT.getTotalCompilationTime() : 0;
            long windowStart = System.nanoTime();
            do {
                workload.run(numbers.take(batch), batch);
                workflows += batch;
            } while (measurable && seconds(windowStart) < WINDOW_SECONDS);
            if (!measurable) return new Done(workflows, seconds(start), false);
            double compiled = (JIT.getTotalCompilationTime() - compiledBefore) / 1000.0;
            if (compiled < seconds(windowStart) * SETTLED_PERCENT / 100.0)
                return new Done(workflows, seconds(start), true);
            if (seconds(start) > maxSeconds) return new Done(workflows, seconds(start), false);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
