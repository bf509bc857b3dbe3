package dev.tern.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Workload 1, "throughput": workflows of three no-op steps run to completion with at most K unfinished at once. Each
 * run gets a virtual thread that schedules it and awaits its completion; a semaphore of K permits bounds them. Besides
 * the wall time it measures the process's CPU time, which another process on the machine disturbs far less: on two
 * cores kept busy, a system's throughput is about the inverse of its CPU per workflow (a database server's own CPU,
 * PostgreSQL's, is not in it: {@link ServerCpu} measures that). It also counts the heap the process allocated, by every
 * thread that ran in the meantime, ended ones and virtual ones (through their carriers) included.
 */
final class ThroughputWorkload {
    static final int STEPS = 3;

    private final Contender contender;
    private final int inFlight;

    ThroughputWorkload(Contender contender, int inFlight) {
        this.contender = contender;
        this.inFlight = inFlight;
    }

    /** What one repetition took: wall time, the process's CPU time and the bytes it allocated (-1: not measured). */
    record Took(double seconds, double cpuSeconds, long allocatedBytes) {}

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs {@code count} workflows (numbered from {@code first}); every one must complete. */
    Took run(int first, int count) throws InterruptedException {
        RunFailures failures = new RunFailures();
        Semaphore permits = new Semaphore(inFlight);
        long cpuStart = OS.getProcessCpuTime();
        long allocatedStart = allocatedBytes();
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && failures.count() == 0; i++) {
                permits.acquire();
                int index = first + i;
                workers.execute(() -> {
                    try {
                        contender.runSteps(index, STEPS);
                    } catch (Exception | Error e) {
                        failures.thrown("workflow #" + index, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        contender.settle(); // what the workflows left to export is part of their cost
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (OS.getProcessCpuTime() - cpuStart) / 1e9;
        long allocatedEnd = allocatedBytes();
        failures.throwIfAny("throughput");
        return new Took(
                seconds, cpuSeconds, allocatedStart < 0 || allocatedEnd < 0 ? -1 : allocatedEnd - allocatedStart);
    }

    /**
     * The workflows/s and CPU µs per workflow rows of {@code system} in {@code workload}, from repetitions of
     * {@code workflows} workflows each.
     */
    static List<Result> rows(String workload, String system, List<Took> took, int workflows) {
        return List.of(
                new Result(
                        workload,
                        system,
                        Metric.WORKFLOWS_PER_SECOND,
                        Spread.of(
                                took.stream().map(t -> workflows / t.seconds()).toList())),
                new Result(
                        workload,
                        system,
                        Metric.CPU_MICROS_PER_WORKFLOW,
                        Spread.of(took.stream()
                                .map(t -> t.cpuSeconds() * 1e6 / workflows)
                                .toList())));
    }

    /** The heap every thread of the process allocated so far, or -1 where the JVM does not count it. */
    private static long allocatedBytes() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
                ? THREADS.getTotalThreadAllocatedBytes()
                : -1;
    }
}
