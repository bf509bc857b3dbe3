package dev.tern.bench;

/**
 * One system under test, opened fresh on its own store: runs the bench workflows the same way on Tern, DBOS and
 * Temporal so the workloads can drive any of them. Closing stops it and deletes its store.
 */
interface Contender extends AutoCloseable {
    /** Runs workflow number {@code index} of {@code steps} no-op steps and blocks until it has completed. */
    void runSteps(int index, int steps) throws Exception;

    /**
     * Runs parent number {@code index}, which starts {@code children} child workflows of one no-op step and awaits them
     * all, and blocks until it has completed (workload 12; not every system runs it).
     */
    default void runParent(int index, int children) throws Exception {
        throw new UnsupportedOperationException("this system does not run workload 12");
    }

    /** Starts workflow number {@code index}, which sleeps one hour durably; does not wait for it. */
    void startSleeper(int index) throws Exception;

    /**
     * Starts workflows {@code first} to {@code first + count - 1} as {@link #startSleeper} does, in one call where the
     * system schedules batches ({@link #batches()}); one by one otherwise.
     */
    default void startSleepers(int first, int count) throws Exception {
        for (int i = 0; i < count; i++) startSleeper(first + i);
    }

    /**
     * Finishes what the work so far left to do in the background, so a repetition counts it: an observed system exports
     * the spans it has ended. Nothing for the others.
     */
    default void settle() {}

    /**
     * Tern's store writes committed and transactions used so far (their ratio is the group commit's batch size), or
     * null for a system that does not count them.
     */
    default long[] storeWriteCounters() {
        return null;
    }

    /** Whether {@link #startSleepers} schedules its runs in one call (one transaction). */
    default boolean batches() {
        return false;
    }

    @Override
    void close();
}
