package dev.tern.engine.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs execute on a kept platform thread while the node is quiet and one is free, on a virtual thread otherwise, and a
 * runner carries nothing of one run into the next: not its name, not a pending interrupt, not a thread-local of the
 * thread that started it.
 */
class RunThreadsTest {

    /** Where a run executed: whether on a virtual thread, under which name, interrupted at its start or not. */
    record Seen(boolean virtual, String name, boolean interrupted, Thread thread) {
        static Seen now() {
            Thread t = Thread.currentThread();
            return new Seen(t.isVirtual(), t.getName(), t.isInterrupted(), t);
        }
    }

    @Test
    void aRunExecutesOnAPlatformRunnerNamedAfterIt() throws Exception {
        try (RunThreads threads = new RunThreads(2)) {
            Seen run = where(threads, "run_a", 1);
            assertThat(run.virtual()).isFalse();
            assertThat(run.name()).isEqualTo("tern-run-run_a");
        }
    }

    @Test
    void runsBeyondTheRunnersExecuteOnVirtualThreadsAndAFreedRunnerIsUsedAgain() throws Exception {
        try (RunThreads threads = new RunThreads(1)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Seen> first = new CompletableFuture<>();
            CompletableFuture<Void> firstDone = new CompletableFuture<>();
            threads.start(
                    "run_1",
                    () -> {
                        first.complete(Seen.now());
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        firstDone.complete(null);
                    },
                    1);
            assertThat(first.get(5, TimeUnit.SECONDS).virtual()).isFalse();

            Seen second = where(threads, "run_2", 2);
            Seen overflow = second;
            assertThat(overflow.virtual()).isTrue();
            assertThat(overflow.name()).isEqualTo("tern-run-run_2");

            release.countDown();
            firstDone.get(5, TimeUnit.SECONDS);
            Seen third = startWhenFree(threads, "run_3");
            assertThat(third.virtual()).isFalse();
            assertThat(third.thread()).isSameAs(first.get().thread());
            assertThat(third.name()).isEqualTo("tern-run-run_3");
        }
    }

    @Test
    void aBusyNodeStartsItsRunsOnVirtualThreadsThoughARunnerIsFree() throws Exception {
        try (RunThreads threads = new RunThreads(2)) {
            Seen busy = where(threads, "run_busy", 3);
            assertThat(busy.virtual()).isTrue();
            Seen quiet = where(threads, "run_quiet", 2);
            assertThat(quiet.virtual()).isFalse();
        }
    }

    @Test
    void anInterruptMeantForOneRunDoesNotReachTheNextOnTheSameRunner() throws Exception {
        try (RunThreads threads = new RunThreads(1)) {
            CompletableFuture<Seen> first = new CompletableFuture<>();
            threads.start(
                    "run_1",
                    () -> {
                        Thread.currentThread().interrupt(); // a cancel that came as the run ended
                        first.complete(Seen.now());
                    },
                    1);
            assertThat(first.get(5, TimeUnit.SECONDS).interrupted()).isTrue();
            Seen next = startWhenFree(threads, "run_2");
            assertThat(next.thread()).isSameAs(first.get().thread());
            assertThat(next.interrupted()).isFalse();
        }
    }

    @Test
    void aRunnerInheritsNoInheritableThreadLocalOfTheThreadThatStartedIt() throws Exception {
        InheritableThreadLocal<String> attempt = new InheritableThreadLocal<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread starter = Thread.ofPlatform().start(() -> {
            attempt.set("a step of another run");
            try (RunThreads threads = new RunThreads(1)) {
                threads.start("run_child", () -> seen.complete(String.valueOf(attempt.get())), 1);
                seen.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        starter.join(10_000);
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null");
    }

    @Test
    void withoutRunnersOrOnceClosedEveryRunExecutesOnAVirtualThread() throws Exception {
        try (RunThreads none = new RunThreads(0)) {
            assertThat(where(none, "run_v", 1).virtual()).isTrue();
        }
        RunThreads closed = new RunThreads(2);
        closed.close();
        assertThat(where(closed, "run_late", 1).virtual()).isTrue();
    }

    /** Starts a run that notes where it executes, on a node executing {@code executing} runs; where it did. */
    private static Seen where(RunThreads threads, String runId, int executing) throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        threads.start(runId, () -> seen.complete(Seen.now()), executing);
        return seen.get(5, TimeUnit.SECONDS);
    }

    /**
     * Starts a run once the runner's permit is back (it is returned just after the previous run's body ends): until
     * then a start would go to a virtual thread, which this retries.
     */
    private static Seen startWhenFree(RunThreads threads, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Seen run = where(threads, runId, 1);
            if (!run.virtual() || System.nanoTime() > deadline) return run;
            Thread.sleep(5);
        }
    }
}
