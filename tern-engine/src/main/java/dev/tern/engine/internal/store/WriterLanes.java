package dev.tern.engine.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store's group-commit writers, each with its own connection, and which one writes what. Every write of one run
 * goes to that run's lane (chosen from its id, {@link #lane}), so a run's writes commit in the order they were made;
 * writes of no one run (claims, schedules, permits, webhook deliveries) go to the first lane.
 *
 * <p>Why more than one: on PostgreSQL one writer connection is one server process, and in workload 1 it was the limit
 * (busy 60-65% of a core while the machine had 29% idle; the rest of each batch waited on its commit). With two, one
 * lane's statements run while the other's commit is flushed. SQLite allows one writer: one lane there.
 *
 * <p>What it costs: lanes take row locks concurrently, like two nodes of a cluster. A write that locks another run's
 * row (an end waking its parent) may wait for that run's lane; two such writes crossing each other deadlock, and the
 * database aborts one, which the writer tries again on its own ({@link GroupCommitWriter}). Lease renewal, which locks
 * every run a node executes, is split by lane ({@link RunsSql#laneOf}) so it never crosses lanes.
 */
final class WriterLanes implements AutoCloseable {
    private final List<GroupCommitWriter> lanes;

    WriterLanes(List<GroupCommitWriter> lanes) {
        if (lanes.isEmpty()) throw new IllegalArgumentException("at least one writer");
        this.lanes = List.copyOf(lanes);
    }

    static WriterLanes one(GroupCommitWriter writer) {
        return new WriterLanes(List.of(writer));
    }

    /**
     * The lane of run {@code runId} among {@code count}: its id's last character modulo {@code count} (the random part
     * of an id, so runs spread evenly), computed in SQL by {@link RunsSql#laneOf}.
     */
    static int lane(String runId, int count) {
        return runId.isEmpty() ? 0 : runId.codePointBefore(runId.length()) % count;
    }

    int count() {
        return lanes.size();
    }

    /**
     * Whether a platform thread commits its writes itself where a virtual thread hands them to a lane's thread
     * ({@link GroupCommitWriter.Leaders#PLATFORM_THREADS}).
     */
    boolean platformThreadsWriteDirectly() {
        return lanes.stream().allMatch(w -> w.leaders == GroupCommitWriter.Leaders.PLATFORM_THREADS);
    }

    /** The writer of run {@code runId}'s writes. */
    GroupCommitWriter forRun(String runId) {
        return lanes.get(lane(runId, lanes.size()));
    }

    /** The writer of writes that belong to no one run. */
    GroupCommitWriter shared() {
        return lanes.get(0);
    }

    /**
     * {@code work} once per lane over that lane's runs of {@code runIds}, each on its lane's writer; {@code combine}
     * joins the answers.
     */
    <T, R> CompletableFuture<R> perLane(List<String> runIds, LaneWork<T> work, Function<List<T>, R> combine) {
        Map<Integer, List<String>> byLane = new TreeMap<>();
        for (String id : runIds)
            byLane.computeIfAbsent(lane(id, lanes.size()), k -> new ArrayList<>())
                    .add(id);
        List<CompletableFuture<T>> parts = new ArrayList<>();
        byLane.forEach((lane, ids) -> parts.add(lanes.get(lane).submit(tx -> work.apply(tx, lane, ids))));
        return all(parts, combine);
    }

    /** {@code work} once on every lane's writer, with its lane; {@code combine} joins the answers in lane order. */
    <T, R> CompletableFuture<R> everyLane(LaneWork<T> work, Function<List<T>, R> combine) {
        List<CompletableFuture<T>> parts = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            int lane = i;
            parts.add(lanes.get(i).submit(tx -> work.apply(tx, lane, List.of())));
        }
        return all(parts, combine);
    }

    private static <T, R> CompletableFuture<R> all(List<CompletableFuture<T>> parts, Function<List<T>, R> combine) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> combine.apply(
                        parts.stream().map(CompletableFuture::join).toList()));
    }

    /** A write for one lane: its transaction, its lane, and the run ids it is for (if any). */
    @FunctionalInterface
    interface LaneWork<T> {
        T apply(Tx tx, int lane, List<String> runIds) throws java.sql.SQLException;
    }

    void onHistory(Consumer<Set<String>> listener) {
        lanes.forEach(w -> w.listeners().onHistory(listener));
    }

    void onCommit(CommitListener listener) {
        lanes.forEach(w -> w.listeners().onCommit(listener));
    }

    void onSignals(Consumer<Signal> listener) {
        lanes.forEach(w -> w.listeners().onSignals(listener));
    }

    void announceWith(RunAnnouncer announcer) {
        lanes.forEach(w -> w.announceWith(announcer));
    }

    /** Why writes fail, from the first lane that fails; null while all succeed. */
    String failing() {
        for (GroupCommitWriter w : lanes) {
            String message = w.health().failing();
            if (message != null) return message;
        }
        return null;
    }

    boolean diskFullRecently() {
        return lanes.stream().anyMatch(w -> w.health().diskFullRecently());
    }

    /** Writes committed and transactions used, over all lanes. */
    long[] counters() {
        long[] sum = new long[2];
        for (GroupCommitWriter w : lanes) {
            long[] c = w.counters();
            sum[0] += c[0];
            sum[1] += c[1];
        }
        return sum;
    }

    @Override
    public void close() {
        lanes.forEach(GroupCommitWriter::close);
    }
}
