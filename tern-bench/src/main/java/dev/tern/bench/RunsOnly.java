package dev.tern.bench;

/**
 * A workload's own workflows, driven through workload 1's loop ({@link ThroughputWorkload}) on an engine that an opened
 * contender owns and closes: it runs them, and nothing else (workloads 10 and 11).
 */
interface RunsOnly extends Contender {
    @Override
    default void startSleeper(int index) {
        throw new UnsupportedOperationException("this workload runs its own workflows only");
    }

    @Override
    default void close() {
        // the engine is the opened contender's, which closes it
    }
}
