package dev.tern.bench;

import dev.tern.engine.Observability;
import java.nio.file.Path;

/**
 * One build's side of {@link BuildAb}: Tern on a fresh store, in process or through its REST API ({@link Via}), running
 * a round of workload 1 or of workload 2 at a time. Loaded by each build's own class loader ({@link BuildSide}), which
 * calls it reflectively, so it answers in JDK types only.
 */
public final class AbRound implements AutoCloseable {
    /** How the workflows reach the engine: as in workload 1's Tern systems. */
    enum Via {
        /** {@code TernEngine.start} and {@code awaitCompletion} ({@code tern-sqlite}, {@code tern-pg}). */
        IN_PROCESS,
        /** The REST server, {@code POST} then a long-poll {@code GET} ({@code tern-pg-rest}). */
        REST,
        /** The REST server, one {@code POST} that waits ({@code tern-pg-rest-wait}). */
        REST_ONE_REQUEST;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        static Via byId(String id) {
            for (Via v : values()) if (v.id().equals(id)) return v;
            throw new IllegalArgumentException("--via must be in-process, rest or rest-one-request, was '" + id + "'");
        }
    }

    private final Contender contender;
    private final ThroughputWorkload workload;
    private final LatencyWorkload latency;
    private int next;

    /**
     * Opens Tern on SQLite under {@code dataDir} (fsync on), or on a scratch schema of the PostgreSQL database at
     * {@code postgresUrl} when that is not null, reached as {@code via} says ({@link Via#id}).
     */
    public AbRound(String dataDir, String postgresUrl, int inFlight, String via) {
        if (postgresUrl != null) registerPostgresDriver();
        StoreSetup setup = postgresUrl == null
                ? SqliteSetup.open(Path.of(dataDir), true, Contenders.MAX_ACTIVE_RUNS, Observability.none())
                : PostgresSetup.open(
                        new PostgresDatabase(postgresUrl), 1, Contenders.MAX_ACTIVE_RUNS, Observability.none());
        TernContender tern = new TernContender(setup);
        this.contender = switch (Via.byId(via)) {
            case IN_PROCESS -> tern;
            case REST -> new TernRestContender(tern, false);
            case REST_ONE_REQUEST -> new TernRestContender(tern, true);
        };
        this.workload = new ThroughputWorkload(contender, inFlight);
        this.latency = new LatencyWorkload(contender);
    }

    /**
     * JDBC's {@code DriverManager} hands a caller only drivers its own class loader can see, and finds the ones on the
     * class path once, through the first side's loader: this side's copy of the driver registers itself here.
     */
    private static void registerPostgresDriver() {
        try {
            Class.forName("org.postgresql.Driver", true, AbRound.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this build holds no PostgreSQL driver", e);
        }
    }

    /** A round of workload 1 with {@code workflows} workflows: {@code {workflows/s, CPU µs a workflow}}. */
    public double[] throughput(int workflows) throws InterruptedException {
        ThroughputWorkload.Took took = workload.run(next, workflows);
        next += workflows;
        return new double[] {workflows / took.seconds(), took.cpuSeconds() * 1e6 / workflows};
    }

    /** A round of workload 2, {@code workflows} one-step workflows in sequence: {@code {p50 µs, p99 µs}}. */
    public double[] latency(int workflows) throws Exception {
        org.HdrHistogram.Histogram took = latency.run(next, workflows);
        next += workflows;
        return new double[] {took.getValueAtPercentile(50), took.getValueAtPercentile(99)};
    }

    /** Which contender this side drives (its class), for the run's header and for tests. */
    @Override
    public String toString() {
        return contender.getClass().getSimpleName();
    }

    @Override
    public void close() {
        contender.close();
    }
}
