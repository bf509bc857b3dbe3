package dev.tern.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Workload 4, "waiting runs": N runs that each sleep one hour, scheduled by K concurrent schedulers; reports the time
 * to schedule them all, then (after {@link #SETTLE} so that a system that parks idle runs has done so) the heap used
 * after a full GC and the live platform threads of this JVM. A system that cannot schedule them all within
 * {@link #BUDGET} is stopped there and the count it reached is noted. Its batch variant schedules {@link #BATCH} runs
 * per call ({@link Contender#startSleepers}), {@link #BATCHES_IN_FLIGHT} calls at once.
 */
final class WaitingWorkload {
    static final Duration SETTLE = Duration.ofSeconds(5);
    static final Duration BUDGET = Duration.ofMinutes(5);
    /** Runs per call in the batch variant: the most one batch may hold. */
    static final int BATCH = dev.tern.engine.RunRequest.MAX_BATCH;
    /** Concurrent batch calls in the batch variant. */
    static final int BATCHES_IN_FLIGHT = 4;

    /** What was measured; {@code scheduled} is less than asked if the budget ran out. */
    record Outcome(int scheduled, double scheduleSeconds, double heapMib, int liveThreads) {}

    private final Contender contender;
    private final int inFlight;
    private final int batch;

    /** {@code inFlight} concurrent calls, each starting one run ({@code batch} 1) or a batch of {@code batch}. */
    WaitingWorkload(Contender contender, int inFlight, int batch) {
        this.contender = contender;
        this.inFlight = inFlight;
        this.batch = batch;
    }

    Outcome run(int count) throws InterruptedException {
        RunFailures failures = new RunFailures();
        Semaphore permits = new Semaphore(inFlight);
        long start = System.nanoTime();
        long deadline = start + BUDGET.toNanos();
        int scheduled = 0;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            while (scheduled < count && failures.count() == 0 && System.nanoTime() < deadline) {
                permits.acquire();
                int index = scheduled;
                int size = Math.min(batch, count - scheduled);
                scheduled += size;
                workers.execute(() -> {
                    try {
                        if (batch == 1) contender.startSleeper(index);
                        else contender.startSleepers(index, size);
                    } catch (Exception | Error e) {
                        failures.thrown("sleeper #" + index, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        failures.throwIfAny("waiting");
        Thread.sleep(SETTLE);
        return new Outcome(
                scheduled,
                seconds,
                heapAfterGcMib(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    static double heapAfterGcMib() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
