package dev.tern.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Workload 7, "scale curve": how the cost of everyday calls grows with the store. On a fresh store per database, the
 * store is filled step by step to each size (10,000, 100,000 and 1,000,000 finished runs; {@code --quick}: 1,000,
 * 10,000, 100,000) with copies of a real finished three-step run ({@link ScaleStore#copy}), and at each size the
 * latency of: scheduling a run, reading one, sending an event to a waiting agent, listing the first page of runs and
 * the 50th (keyset cursor), listing a thread's runs, and reading the whole history of one run of 10,000 steps page by
 * page; and, for what the node does in the background (its polls for due runs, its lease renewals, which share the
 * writer with every run), how long each three-step workflow of a batch takes with 64 in flight, over several poll
 * intervals. Also the store's bytes on disk per finished run and per step.
 */
final class ScaleWorkload {
    static final int[] FULL_SIZES = {10_000, 100_000, 1_000_000};
    static final int[] QUICK_SIZES = {1_000, 10_000, 100_000};
    static final int PAGE = 20;
    static final int HISTORY_PAGE = 500;
    static final int LONG_RUN_STEPS = 10_000;
    private static final int SIZE_SAMPLE_RUNS = 2_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long SPACING_MILLIS = 10;
    private static final int IN_FLIGHT = 64;
    /** Workflows per batch of {@link Op#WORKFLOWS}, per sample of the other calls: a few poll intervals' worth. */
    private static final int WORKFLOWS_PER_SAMPLE = 20;

    /** The calls measured, in table order. */
    enum Op {
        SCHEDULE("schedule a run"),
        GET("get a run"),
        EVENT("send an event"),
        PAGE_1("list runs, page 1"),
        PAGE_50("list runs, page 50"),
        THREAD("list a thread's runs"),
        HISTORY("history of 10,000 steps, all pages"),
        WORKFLOWS("a 3-step workflow, 64 in flight");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    /**
     * The calls that only read, warmed up at the first size until the JIT settles: a pass of each over a fresh engine
     * compiled for seconds, and the first size's reads measured that (a page of runs at 10,000 runs 1.7x the same page
     * at 100,000 in a run of the fifty-first session), growth the scale curve does not have.
     */
    private static final List<Op> READS = List.of(Op.GET, Op.PAGE_1, Op.PAGE_50, Op.THREAD, Op.HISTORY);

    private final int samples;
    private final int[] sizes;
    private final int warmupSeconds;

    ScaleWorkload(boolean quick) {
        this.sizes = quick ? QUICK_SIZES : FULL_SIZES;
        this.samples = quick ? 100 : 300;
        this.warmupSeconds = quick ? 20 : 60;
    }

    int[] sizes() {
        return sizes.clone();
    }

    /** Measures one store: a row per call, with p50 and p99 in µs per size, and the store's size per run and step. */
    ScaleTable.StoreResult measure(ScaleStore store) throws Exception {
        TernEngine engine = store.engine();
        String label = "Tern, " + store.label();
        Progress.of(label, "scale: one run of " + LONG_RUN_STEPS + " steps and " + SIZE_SAMPLE_RUNS + " of 3 steps");
        long before = store.bytesOnDisk();
        String longRun = engine.start(BenchWorkflows.STEPS, new BenchWorkflows.In(-1, LONG_RUN_STEPS));
        requireCompleted(engine, longRun);
        long afterLong = store.bytesOnDisk();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < SIZE_SAMPLE_RUNS; i++)
            sample.add(engine.start(BenchWorkflows.STEPS, new BenchWorkflows.In(i, ThroughputWorkload.STEPS)));
        for (String id : sample) requireCompleted(engine, id);
        long afterSample = store.bytesOnDisk();
        double bytesPerStep = (afterLong - before) / (double) LONG_RUN_STEPS;
        double bytesPerRun = (afterSample - afterLong) / (double) SIZE_SAMPLE_RUNS;

        ScaleStore.Template template = store.template(sample.getFirst());
        String agent = engine.start(BenchWorkflows.WAIT_AGENT, new BenchWorkflows.In(0, 0));
        double[][] p50 = new double[Op.values().length][sizes.length];
        double[][] p99 = new double[Op.values().length][sizes.length];
        int loaded = 0;
        JitWarmup.Done readsWarmup = null;
        long newest = System.currentTimeMillis() - 60_000;
        // copy n is created n * SPACING_MILLIS before the newest: each fill adds runs older than those already there
        for (int s = 0; s < sizes.length; s++) {
            Progress.of(label, "scale: filling the store to " + String.format("%,d", sizes[s]) + " finished runs");
            store.copy(template, loaded, sizes[s], newest, SPACING_MILLIS);
            loaded = sizes[s];
            store.afterBulkLoad();
            int size = loaded;
            warmConnections(store, size);
            Progress.of(label, "scale: measuring at " + String.format("%,d", loaded) + " runs");
            // at the first size, every call once over first, then the reads until the JIT settles: its warm-up would
            // read as a store that got faster
            if (s == 0) {
                for (Op op : Op.values()) sample(op, store, agent, longRun, size);
                readsWarmup = JitWarmup.run(
                        (first, count) -> {
                            for (Op op : READS) sample(op, store, agent, longRun, size);
                        },
                        count -> 0,
                        1,
                        warmupSeconds,
                        JitWarmup.LATENCY_PERCENT,
                        label,
                        "scale reads");
            }
            for (Op op : Op.values()) {
                long[] nanos = sample(op, store, agent, longRun, size);
                p50[op.ordinal()][s] = percentile(nanos, 50) / 1e3;
                p99[op.ordinal()][s] = percentile(nanos, 99) / 1e3;
            }
        }
        List<ScaleTable.OpRow> rows = new ArrayList<>();
        for (Op op : Op.values()) rows.add(new ScaleTable.OpRow(op.label, p50[op.ordinal()], p99[op.ordinal()]));
        return new ScaleTable.StoreResult(label, rows, bytesPerRun, bytesPerStep, readsWarmup);
    }

    /**
     * Reads random runs, untimed, until the engine's connections are in the state a server's pooled connections reach
     * in their first seconds: the fill restarted the engine, and a new PostgreSQL backend pays a page fault the first
     * time it touches each page of the shared buffer pool (measured: 2 faults and 50-60 µs per read of a run at a
     * million runs, none on a connection that had touched them all). Without this, a read by id measured how new the
     * connection was, not how large the store was. Every connection that reads by id is warmed: as many readers at once
     * as that pool holds ({@link #BY_ID_CONNECTIONS}), each reading as much as one connection needs; one reader warmed
     * one connection, and a read by id measured at 100,000 runs took 73-79 µs instead of 22 in two runs of five once
     * the runs' own reads (their steps, signals) shared that pool and opened its other connections.
     */
    private static void warmConnections(ScaleStore store, int size) throws java.sql.SQLException {
        int reads = store.connectionWarmUpReads();
        if (reads == 0) return;
        TernEngine engine = store.engine();
        Progress.of(
                "Tern, " + store.label(),
                "scale: warming the engine's connections, " + BY_ID_CONNECTIONS + " x " + reads + " reads");
        try (var readers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < BY_ID_CONNECTIONS; r++) {
                readers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < reads; i++) engine.run(store.runId(random.nextInt(size)));
                });
            }
        }
    }

    /** The connections of the engine's pool for reads by id on PostgreSQL ({@code StoreFactory.postgres}). */
    private static final int BY_ID_CONNECTIONS = 4;

    private long[] sample(Op op, ScaleStore store, String agent, String longRun, int size) throws InterruptedException {
        TernEngine engine = store.engine();
        if (op == Op.WORKFLOWS) return workflowLatencies(engine, samples * WORKFLOWS_PER_SAMPLE);
        int n = op == Op.HISTORY ? Math.max(3, samples / 30) : samples;
        String page50 = op == Op.PAGE_50 ? cursorOfPage(engine, 50) : null;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long[] nanos = new long[n];
        for (int warm = -Math.max(1, n / 5); warm < n; warm++) {
            long t0 = System.nanoTime();
            switch (op) {
                case SCHEDULE -> engine.start(BenchWorkflows.SLEEP, new BenchWorkflows.In(warm, 0));
                case GET ->
                    engine.run(store.runId(random.nextInt(size)))
                            .orElseThrow(() -> new IllegalStateException("a preloaded run is missing"));
                case EVENT ->
                    engine.sendEvent(
                            agent,
                            BenchWorkflows.PING,
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("index", warm)
                                    .put("steps", 0));
                case PAGE_1 -> requireFull(engine.runs(query(null, null)));
                case PAGE_50 -> requireFull(engine.runs(query(page50, null)));
                case THREAD -> engine.runs(query(null, "thread-" + random.nextInt(ScaleStore.THREADS)));
                case HISTORY -> readHistory(engine, longRun);
                case WORKFLOWS -> throw new IllegalStateException("measured in batches");
            }
            if (warm >= 0) nanos[warm] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static RunQuery query(String cursor, String threadId) {
        return new RunQuery(null, null, null, PAGE, cursor, threadId, null, null);
    }

    private static void requireFull(RunPage page) {
        if (page.runs().size() != PAGE) throw new IllegalStateException("a page of runs came back short");
    }

    /**
     * How long each of {@code n} three-step workflows took from its start to its end, {@value #IN_FLIGHT} at a time.
     */
    private static long[] workflowLatencies(TernEngine engine, int n) throws InterruptedException {
        long[] nanos = new long[n];
        RunFailures failures = new RunFailures();
        Semaphore permits = new Semaphore(IN_FLIGHT);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n && failures.count() == 0; i++) {
                permits.acquire();
                int index = i;
                workers.execute(() -> {
                    try {
                        long t0 = System.nanoTime();
                        requireCompleted(
                                engine,
                                engine.start(
                                        BenchWorkflows.STEPS, new BenchWorkflows.In(index, ThroughputWorkload.STEPS)));
                        nanos[index] = System.nanoTime() - t0;
                    } catch (Exception | Error e) {
                        failures.thrown("workflow #" + index, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        failures.throwIfAny("scale");
        return nanos;
    }

    /** The cursor that fetches page {@code page} of the run list (following the cursors from the first). */
    private static String cursorOfPage(TernEngine engine, int page) {
        String cursor = null;
        for (int i = 1; i < page; i++) cursor = engine.runs(query(cursor, null)).nextCursor();
        if (cursor == null) throw new IllegalStateException("fewer than " + page + " pages of runs");
        return cursor;
    }

    private static void readHistory(TernEngine engine, String runId) {
        long after = 0;
        int events = 0;
        while (true) {
            List<HistoryEvent> page = engine.history(runId, after, HISTORY_PAGE);
            if (page.isEmpty()) break;
            events += page.size();
            after = page.getLast().eventSequence();
        }
        if (events < 2 * LONG_RUN_STEPS) throw new IllegalStateException("the long run's history came back short");
    }

    private static void requireCompleted(TernEngine engine, String runId) throws InterruptedException {
        RunStatus status = engine.awaitCompletion(runId, TIMEOUT).status();
        if (status != RunStatus.COMPLETED) throw new IllegalStateException("run " + runId + " ended " + status);
    }

    private static double percentile(long[] values, int pct) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int at = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, at))];
    }
}
