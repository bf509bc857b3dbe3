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
            CompletableFuture<Seen> seen = new CompletableFuture<>();
            threads.start("run_a", () -> seen.complete(Seen.now()), 1);
            Seen run = seen.get(5, TimeUnit.SECONDS);
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

            CompletableFuture<Seen> second = new CompletableFuture<>();
            threads.start("run_2", () -> second.complete(Seen.now()), 2);
            Seen overflow = second.get(5, TimeUnit.SECONDS);
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
            CompletableFuture<Seen> busy = new CompletableFuture<>();
            threads.start("run_busy", () -> busy.complete(Seen.now()), 3);
            assertThat(busy.get(5, TimeUnit.SECONDS).virtual()).isTrue();
            CompletableFuture<Seen> quiet = new CompletableFuture<>();
            threads.start("run_quiet", () -> quiet.complete(Seen.now()), 2);
            assertThat(quiet.get(5, TimeUnit.SECONDS).virtual()).isFalse();
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
            CompletableFuture<Seen> seen = new CompletableFuture<>();
            none.start("run_v", () -> seen.complete(Seen.now()), 1);
            assertThat(seen.get(5, TimeUnit.SECONDS).virtual()).isTrue();
        }
        RunThreads closed = new RunThreads(2);
        closed.close();
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        closed.start("run_late", () -> seen.complete(Seen.now()), 1);
        assertThat(seen.get(5, TimeUnit.SECONDS).virtual()).isTrue();
    }

    /**
     * Starts a run once the runner's permit is back (it is returned just after the previous run's body ends): until
     * then a start would go to a virtual thread, which this retries.
     */
    private static Seen startWhenFree(RunThreads threads, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            CompletableFuture<Seen> seen = new CompletableFuture<>();
            threads.start(runId, () -> seen.complete(Seen.now()), 1);
            Seen run = seen.get(5, TimeUnit.SECONDS);
            if (!run.virtual() || System.nanoTime() > deadline) return run;
            Thread.sleep(5);
        }
    }
}
