package dev.tern.engine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * Wakes whoever waits for a run's history to grow (SSE streams): one future per watched run, completed and replaced
 * each time the store reports new history for it, from this node's commits or another node's notifications.
 */
final class HistoryWatch {
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Runnable watching;

    /** {@code watching} is told at each look of a waiter (other nodes then tell this one of their changes). */
    HistoryWatch(Runnable watching) {
        this.watching = watching;
    }

    /** A future completed at the next change of the run's history; take it before reading, so no change is missed. */
    CompletableFuture<Void> next(String runId) {
        return waiting.computeIfAbsent(runId, k -> new CompletableFuture<>());
    }

    /**
     * Waits until the run's latest event ({@code lastEventSeq}) is after {@code afterSequence} or {@code ready} holds
     * (true), or {@code timeout} passes (false); reads the store again every second in case a notification was lost.
     */
    boolean await(
            String runId,
            long afterSequence,
            Duration timeout,
            BooleanSupplier ready,
            ToLongFunction<String> lastEventSeq)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CompletableFuture<Void> next = next(runId);
            watching.run();
            if (ready.getAsBoolean() || lastEventSeq.applyAsLong(runId) > afterSequence) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                next.get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // re-read the store
            }
        }
    }

    void changed(String runId) {
        if (runId == null) return;
        CompletableFuture<Void> f = waiting.remove(runId);
        if (f != null) f.complete(null);
    }

    /** Wakes every waiter, e.g. after signals may have been missed. */
    void changedAll() {
        for (String runId : waiting.keySet()) changed(runId);
    }
}
