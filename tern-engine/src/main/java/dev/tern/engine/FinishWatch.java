package dev.tern.engine;

import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.exec.RunStart;
import dev.tern.engine.internal.store.StoredRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Wakes whoever waits for a run to end: one future per awaited run, completed when a run executing on this node ends or
 * another node says one did; the store is read again every second in case that word was lost. Waiters read their runs
 * through one {@link GroupRead}, so the runs one commit ended are read together.
 */
final class FinishWatch {
    private final Map<String, CompletableFuture<RunRecord>> waiters = new ConcurrentHashMap<>();
    private final RecentEnds recent = new RecentEnds();
    private final Runnable watching;
    private final GroupRead reads;

    /**
     * {@code watching} is told each time a waiter reads a run executing elsewhere (that node then says when it ends);
     * {@code readAll} reads the runs among some ids that exist.
     */
    FinishWatch(Runnable watching, Function<List<String>, List<StoredRun>> readAll) {
        this.watching = watching;
        this.reads = new GroupRead(readAll);
    }

    /**
     * Waits until the run is finished (or {@code timeout} passes) and returns it as it then stands; a run executing
     * here ({@code local}) is read only once it says it ended, and not at all when its end hands over the run as the
     * end left it. A run that does not exist is a {@link RunNotFoundException}.
     */
    RunRecord await(String runId, Duration timeout, Predicate<String> local) throws InterruptedException {
        Function<String, RunRecord> read = id -> reads.read(id).orElseThrow(() -> new RunNotFoundException(id));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CompletableFuture<RunRecord> waiter = waiters.computeIfAbsent(runId, k -> new CompletableFuture<>());
            // registered first: a run that ends from now on completes the waiter, one that ended unheard was kept
            RunRecord kept = recent.ended(runId);
            if (kept != null) {
                waiters.remove(runId, waiter);
                return kept;
            }
            // a run executing here reports its end to the waiter, registered first: read the store only then
            boolean here = local.test(runId);
            if (!here) watching.run();
            RunRecord run = here ? null : read.apply(runId);
            long left = deadline - System.nanoTime();
            if (run != null && run.status().isTerminal() || left <= 0) {
                waiters.remove(runId, waiter);
                return run != null ? run : read.apply(runId);
            }
            try {
                RunRecord ended = waiter.get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (ended != null) return ended;
                // it ended here, or another node said so: read it without telling other nodes that runs are watched
                // (they would announce every history change and end for the next 30 s, for nobody)
                RunRecord now = read.apply(runId);
                if (now.status().isTerminal()) return now;
            } catch (TimeoutException | ExecutionException e) {
                // re-check the store: the run may have finished on another node
            }
        }
    }

    /**
     * The run, if it exists and {@code is} accepts its kind and name, once it ended or {@code timeout} passed: a run
     * executing here is known by its execution ({@code executing}), so nothing is read before it ends; else the run is
     * read first, and not waited for if it is not the one asked for or already ended.
     */
    Optional<RunRecord> awaitRun(String runId, BiPredicate<RunKind, String> is, Duration timeout, Dispatcher executing)
            throws InterruptedException {
        RunRecord kept = recent.ended(runId); // an ended run is the same however long one would wait
        if (kept != null) return Optional.of(kept).filter(r -> is.test(r.kind(), r.name()));
        RunStart here = timeout.isZero() ? null : executing.executingAs(runId);
        if (here != null) {
            if (!is.test(RunKind.fromWire(here.kind()).orElse(null), here.name())) return Optional.empty();
            return Optional.of(await(runId, timeout, executing::isLocal));
        }
        Optional<RunRecord> run = reads.read(runId).filter(r -> is.test(r.kind(), r.name()));
        if (run.isEmpty() || timeout.isZero() || run.get().status().isTerminal()) return run;
        return Optional.of(await(runId, timeout, executing::isLocal));
    }

    /** Wakes the callers waiting for the run to end; they read it from the store. */
    void finished(String runId) {
        finished(runId, null);
    }

    /**
     * Wakes the callers waiting for the run to end, handing them {@code ended}, the run as its end left it (read from
     * the store's end write, sparing each waiter a read of its own), or null: they read it. The run is also kept for
     * whoever asks right after ({@link RecentEnds}).
     */
    void finished(String runId, RunRecord ended) {
        if (ended != null) recent.keep(ended);
        CompletableFuture<RunRecord> waiter = waiters.remove(runId);
        if (waiter != null) waiter.complete(ended);
    }
}
