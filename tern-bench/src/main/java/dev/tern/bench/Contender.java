package dev.tern.bench;

/**
 * One system under test, opened fresh on its own store: runs the bench workflows the same way on Tern, DBOS and
 * Temporal so the workloads can drive any of them. Closing stops it and deletes its store.
 */
interface Contender extends AutoCloseable {
    /** Runs workflow number {@code index} of {@code steps} no-op steps and blocks until it has completed. */
    void runSteps(int index, int steps) throws Exception;

    /** Starts workflow number {@code index}, which sleeps one hour durably; does not wait for it. */
    void startSleeper(int index) throws Exception;

    @Override
    void close();
}
