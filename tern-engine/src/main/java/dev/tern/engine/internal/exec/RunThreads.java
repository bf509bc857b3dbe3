package dev.tern.engine.internal.exec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;

/**
 * Where a run's code executes: on one of a few kept platform threads (runners) while the node executes no more runs
 * than it keeps runners and one is free, else on a virtual thread of its own, as every run did before. The dispatcher
 * keeps runners only where the store writes sooner from them ({@code RunStore.platformThreadsWriteDirectly()}): on
 * SQLite a run's virtual thread already commits its own writes, and a runner there made one-step runs slower.
 *
 * <p>Why: a platform thread that writes to the store while no batch is committing commits the batch itself
 * ({@code GroupCommitWriter}'s leaders), its socket reads blocking in the kernel; a virtual thread hands its write to
 * the writer's thread and is woken back when it is durable, two thread switches a write, because its socket I/O would
 * go through the JDK's poller (and interrupting it closes the socket under the batch). On a two-core VM those switches
 * were most of what a PostgreSQL step cost beyond its commit. Only on a quiet node: with many runs executing, their
 * writes share batches and the switches are shared with them, while runs on platform threads that commit for themselves
 * took batches early and cost the process more CPU a workflow. A run that blocks for long (a model call) holds its
 * runner meanwhile, the rest go on virtual threads, and waiting runs never hold platform threads.
 *
 * <p>A runner is cleared between runs: its name is the run's while it executes ({@code tern-run-<id>}, as a virtual
 * thread's is), a pending interrupt is dropped, and runners inherit no inheritable thread-local from whichever thread
 * started them (a step's attempt, say).
 */
final class RunThreads implements AutoCloseable {
    private final int count;
    private final Semaphore free;
    private final ExecutorService runners;

    /** {@code count} runners at most (0: every run on a virtual thread). */
    RunThreads(int count) {
        this.count = count;
        this.free = new Semaphore(count);
        ThreadFactory factory = Thread.ofPlatform()
                .name("tern-runner-", 1)
                .daemon()
                .inheritInheritableThreadLocals(false)
                .factory();
        this.runners = Executors.newFixedThreadPool(Math.max(1, count), factory);
    }

    /** The runners a node keeps: one per core, as many as can execute at once. */
    static int defaultCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Starts {@code execution}, the run {@code runId}'s, on a free runner when the node executes at most as many runs
     * as it keeps runners ({@code executing}, this one included), else on a new virtual thread.
     */
    void start(String runId, Runnable execution, int executing) {
        if (executing <= count && free.tryAcquire()) {
            try {
                runners.execute(() -> runOnRunner(runId, execution));
                return;
            } catch (RejectedExecutionException e) { // closed: the execution was stopped, let it unwind anywhere
                free.release();
            }
        }
        Thread.ofVirtual().name(threadName(runId)).start(execution);
    }

    private void runOnRunner(String runId, Runnable execution) {
        Thread runner = Thread.currentThread();
        String idle = runner.getName();
        runner.setName(threadName(runId));
        try {
            execution.run();
        } finally {
            Thread.interrupted(); // an interrupt meant for this run must not reach the next one
            runner.setName(idle);
            free.release();
        }
    }

    static String threadName(String runId) {
        return "tern-run-" + runId;
    }

    /** Lets the runners end once idle; runs still executing on them finish first. */
    @Override
    public void close() {
        runners.shutdown();
    }
}
