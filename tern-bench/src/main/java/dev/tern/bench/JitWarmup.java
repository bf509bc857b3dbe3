package dev.tern.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warms a system up until the JIT compiler has settled on what a workload does: batches of workflows are run and
 * discarded, in windows of at least {@value #WINDOW_SECONDS} s, until a window spends less than a given share of its
 * wall time compiling (the JVM's compilation time, summed over its compiler threads) or a time limit has gone by. A
 * fixed warmup was not enough: on two cores Tern compiled for about 15 s over its first 24,000 in-process workflows and
 * 40 s over its first 20,000 through REST, so the medians of five repetitions after 2,000 warmup workflows measured the
 * compiler as much as the system, and the REST rows more than the others. The window keeps a quiet moment between two
 * bursts of compiling from passing for the end.
 *
 * <p>Workload 1's warmup settles at {@value #THROUGHPUT_PERCENT}%; one run at a time (workload 2) then takes other
 * branches (a run often ends before its caller asks for it) and the compiler works again: 250-370 ms of compiling in
 * each of its first 2 s windows through REST. A latency sample caught behind a compiler thread on a busy core waits for
 * the kernel's next tick (4 ms here), so even 20-40 ms of compiling in a repetition of 1,000 samples set its p99: the
 * latency warmup settles at {@value #LATENCY_PERCENT}%, and so does workload 3's chain of steps (its first repetitions
 * after one workflow of 500 steps ran 250-260 µs a step while the compiler worked, 220 once it had stopped).
 */
final class JitWarmup {
    static final int THROUGHPUT_PERCENT = 5;
    static final int LATENCY_PERCENT = 1;
    static final int WINDOW_SECONDS = 3;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /** Hands out the numbers of the workflows a batch runs. */
    interface Numbers {
        int take(int count);
    }

    /** One batch of discarded work: {@code count} workflows numbered from {@code first}. */
    interface Batch {
        void run(int first, int count) throws Exception;
    }

    /** How the warmup went: the workflows it ran and whether the compiler settled before the time limit. */
    record Done(int workflows, double seconds, boolean settled) {}

    private JitWarmup() {}

    /**
     * A throughput warmup: {@link #run(Batch, Numbers, int, int, int, String, String)} at
     * {@value #THROUGHPUT_PERCENT}%.
     */
    static Done run(ThroughputWorkload workload, Numbers numbers, int batch, int maxSeconds, String label, String what)
            throws Exception {
        return run(workload::run, numbers, batch, maxSeconds, THROUGHPUT_PERCENT, label, what);
    }

    /**
     * Runs batches of {@code batch} workflows until a window compiled for under {@code settledPercent}% of its time or
     * {@code maxSeconds} passed (one batch where the JVM cannot tell); {@code what} names the workload in the progress.
     */
    static Done run(
            Batch work, Numbers numbers, int batch, int maxSeconds, int settledPercent, String label, String what)
            throws Exception {
        boolean measurable = JIT != null && JIT.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int workflows = 0;
        for (int window = 1; ; window++) {
            Progress.of(label, what + " warmup, window " + window + " (batches of " + batch + " workflows)");
            long compiledBefore = measurable ? JIT.getTotalCompilationTime() : 0;
            long windowStart = System.nanoTime();
            do {
                work.run(numbers.take(batch), batch);
                workflows += batch;
            } while (measurable && seconds(windowStart) < WINDOW_SECONDS);
            if (!measurable) return new Done(workflows, seconds(start), false);
            double compiled = (JIT.getTotalCompilationTime() - compiledBefore) / 1000.0;
            if (compiled < seconds(windowStart) * settledPercent / 100.0)
                return new Done(workflows, seconds(start), true);
            if (seconds(start) > maxSeconds) return new Done(workflows, seconds(start), false);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
