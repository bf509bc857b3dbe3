package dev.tern.bench;

import dev.tern.engine.Observability;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * One build's side of {@link BuildAb}: Tern in process on a fresh store, running workload 1 a round at a time. Loaded
 * by each build's own class loader ({@link BuildSide}), so it reaches the other side only through JDK types: a round's
 * answer is {@code {workflows/s, CPU µs a workflow}}.
 */
public final class AbRound implements IntFunction<double[]>, AutoCloseable {
    private final TernContender tern;
    private final ThroughputWorkload workload;
    private int next;

    /**
     * Opens Tern on SQLite under {@code dataDir} (fsync on), or on a scratch schema of the PostgreSQL database at
     * {@code postgresUrl} when that is not null.
     */
    public AbRound(String dataDir, String postgresUrl, int inFlight) {
        StoreSetup setup = postgresUrl == null
                ? SqliteSetup.open(Path.of(dataDir), true, Contenders.MAX_ACTIVE_RUNS, Observability.none())
                : PostgresSetup.open(
                        new PostgresDatabase(postgresUrl), 1, Contenders.MAX_ACTIVE_RUNS, Observability.none());
        this.tern = new TernContender(setup);
        this.workload = new ThroughputWorkload(tern, inFlight);
    }

    @Override
    public double[] apply(int workflows) {
        try {
            ThroughputWorkload.Took took = workload.run(next, workflows);
            next += workflows;
            return new double[] {workflows / took.seconds(), took.cpuSeconds() * 1e6 / workflows};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a round", e);
        }
    }

    @Override
    public void close() {
        tern.close();
    }
}
