package dev.tern.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Workload 1, "throughput": workflows of three no-op steps run to completion with at most K unfinished at once. Each
 * run gets a virtual thread that schedules it and awaits its completion; a semaphore of K permits bounds them.
 */
final class ThroughputWorkload {
    static final int STEPS = 3;

    private final Contender contender;
    private final int inFlight;

    ThroughputWorkload(Contender contender, int inFlight) {
        this.contender = contender;
        this.inFlight = inFlight;
    }

    /**
     * Runs {@code count} workflows (numbered from {@code first}); returns the wall time in seconds. Every one must
     * complete.
     */
    double run(int first, int count) throws InterruptedException {
        RunFailures failures = new RunFailures();
        Semaphore permits = new Semaphore(inFlight);
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
        double seconds = (System.nanoTime() - start) / 1e9;
        failures.throwIfAny("throughput");
        return seconds;
    }
}
