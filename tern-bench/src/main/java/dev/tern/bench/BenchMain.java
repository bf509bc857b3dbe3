package dev.tern.bench;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bench command line: runs each chosen workload on each chosen system (Tern on SQLite and on PostgreSQL in-process
 * and over REST, DBOS Transact on the same PostgreSQL, Temporal's in-memory test server) plus the raw-JDBC limits and,
 * with Tern on SQLite, the model-call overhead; prints the machine, the settings and the result tables to stdout
 * (progress goes to stderr) and writes CSV, JSON and a PNG chart of the main table. A system that fails does not stop
 * the others. Exits 1 if anything failed, 2 on a bad command line.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * The raw-JDBC limits of each store a chosen system uses, when workload 1, 2 or 3 runs: measured in two rounds,
     * before the systems and after them ({@link Limits.Rounds}).
     */
    private static List<Limits.Rounds> limits(BenchOptions options, List<SystemKind> systems, PostgresDatabase pg) {
        if (!options.workloads().contains(Workload.THROUGHPUT)
                && !options.workloads().contains(Workload.LATENCY)
                && !options.workloads().contains(Workload.STEPS)) return List.of();
        BenchOptions.Sizes s = options.sizes();
        List<Limits.Rounds> limits = new ArrayList<>();
        for (SystemKind.Store store : List.of(SystemKind.Store.SQLITE, SystemKind.Store.POSTGRES)) {
            if (systems.stream().noneMatch(k -> k.store() == store)) continue;
            limits.add(new Limits.Rounds(
                    store,
                    pg,
                    options.dataDir(),
                    s.chainSteps(),
                    Math.min(s.workflows() * ThroughputWorkload.STEPS, 30_000)));
        }
        return limits;
    }

    static int run(String... args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) System.err.println("error: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            return e.getMessage().isEmpty() ? 0 : 2;
        }
        quietLogging();
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        PostgresDatabase postgres = options.anyPostgres() ? new PostgresDatabase(options.databaseUrl()) : null;
        String postgresServer = postgres == null ? null : probe(postgres, notes);
        List<SystemKind> systems = options.systems().stream()
                .filter(k -> k.store() != SystemKind.Store.POSTGRES || postgresServer != null)
                .toList();
        printEnvironment(options, systems, postgres, postgresServer);

        Contenders contenders = new Contenders(options, postgresServer == null ? null : postgres, notes);
        List<Result> results = new ArrayList<>();
        List<Limits.Rounds> limits = limits(options, systems, postgres);
        for (Limits.Rounds limit : limits) {
            int reps = options.sizes().repetitions();
            attempt(limit.label(), failures, () -> limit.measure(Limits.before(reps), reps));
        }
        for (SystemKind kind : systems) {
            SystemRunner runner = new SystemRunner(options, contenders, kind, results, notes);
            attempt(kind.label() + ", workloads 1-3", failures, runner::runShortWorkloads);
            attempt(kind.label() + ", waiting runs", failures, runner::runWaiting);
            attempt(kind.label() + ", waiting runs in batches", failures, runner::runWaitingBatches);
        }
        if (options.workloads().contains(Workload.OBSERVABILITY)) {
            var paired = new PairedThroughput(options, contenders, results, PairedThroughput.Pairing.OBSERVABILITY);
            for (SystemKind kind : systems) {
                if (kind.plain() != null)
                    attempt(kind.label() + ", observability cost", failures, () -> paired.run(kind.plain(), kind));
            }
        }
        if (options.workloads().contains(Workload.REST_PAIRED)) {
            var paired = new PairedThroughput(options, contenders, results, PairedThroughput.Pairing.REST);
            for (SystemKind kind : systems) {
                if (kind.rest())
                    attempt(kind.label() + ", REST cost", failures, () -> paired.run(SystemKind.TERN_PG, kind));
            }
        }
        if (options.workloads().contains(Workload.INPUTS)) {
            InputSizeWorkload inputs = new InputSizeWorkload(options, contenders, results);
            for (SystemKind kind : systems) {
                if (InputSizeWorkload.supports(kind))
                    attempt(kind.label() + ", input size", failures, () -> inputs.run(kind));
            }
        }
        if (options.workloads().contains(Workload.CONVERSATION)) {
            ConversationWorkload conversations = new ConversationWorkload(options, contenders, results);
            for (SystemKind kind : systems) {
                if (ConversationWorkload.supports(kind))
                    attempt(kind.label() + ", conversation", failures, () -> conversations.run(kind));
            }
        }
        if (options.workloads().contains(Workload.CHILDREN)) {
            ChildrenWorkload children = new ChildrenWorkload(options, contenders, results);
            for (SystemKind kind : systems) {
                if (ChildrenWorkload.supports(kind))
                    attempt(kind.label() + ", children", failures, () -> children.run(kind));
            }
        }
        if (options.workloads().contains(Workload.RECOVERY)) {
            RecoveryWorkload recovery = new RecoveryWorkload(options, contenders, results, notes);
            for (SystemKind kind : systems) {
                if (RecoveryWorkload.supports(kind))
                    attempt(kind.label() + ", recovery", failures, () -> recovery.run(kind));
            }
        }
        int reps = options.sizes().repetitions();
        for (Limits.Rounds limit : limits) {
            attempt(limit.label(), failures, () -> limit.measure(reps - Limits.before(reps), reps));
            limit.addResults(results, options.workloads().contains(Workload.LATENCY));
        }

        List<ModelCallTable.Row> modelCalls = new ArrayList<>();
        if (options.workloads().contains(Workload.MODEL_CALL) && systems.contains(SystemKind.TERN_SQLITE)) {
            attempt("model-call overhead", failures, () -> modelCalls.addAll(ModelCallOverhead.measure(options)));
        }

        List<ScaleTable.StoreResult> scale = new ArrayList<>();
        ScaleWorkload scaleWorkload = new ScaleWorkload(options.quick());
        if (options.workloads().contains(Workload.SCALE)) {
            if (systems.contains(SystemKind.TERN_SQLITE))
                attempt("scale curve, SQLite", failures, () -> {
                    try (ScaleStore store = ScaleStore.sqlite(options.dataDir())) {
                        scale.add(scaleWorkload.measure(store));
                    }
                });
            if (systems.contains(SystemKind.TERN_PG))
                attempt("scale curve, PostgreSQL", failures, () -> {
                    try (ScaleStore store = ScaleStore.postgres(postgres)) {
                        scale.add(scaleWorkload.measure(store));
                    }
                });
        }

        List<Result> table = Ratios.apply(results.stream()
                .sorted(Comparator.comparingInt(r -> workloadOrder(r.workload())))
                .toList());
        System.out.println();
        if (!table.isEmpty()) ResultTable.print(table, System.out);
        printLegend(options);
        if (!modelCalls.isEmpty()) {
            System.out.println();
            ModelCallTable.print(modelCalls, System.out);
        }
        if (!scale.isEmpty()) {
            System.out.println();
            ScaleTable.print(scaleWorkload.sizes(), scale, System.out);
        }
        for (String note : notes) System.out.println("note: " + note);
        for (String failure : failures)
            System.out.println("FAILED " + failure.lines().findFirst().orElse(""));
        attempt(
                "writing results",
                failures,
                () -> ResultFiles.write(options.outDir(), environment(options, postgresServer), table));
        if (!scale.isEmpty())
            attempt(
                    "writing the scale curve",
                    failures,
                    () -> ResultFiles.writeScale(options.outDir(), scaleWorkload.sizes(), scale));
        return failures.isEmpty() ? 0 : 1;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(String what, List<String> failures, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            failures.add(what + ": " + e);
            System.err.println("error: [" + what + "] " + e);
            e.printStackTrace(System.err);
        }
    }

    private static int workloadOrder(String label) {
        for (Workload w : Workload.values()) {
            if (w.label().equals(label)) return w.ordinal();
        }
        return Integer.MAX_VALUE;
    }

    private static String probe(PostgresDatabase postgres, List<String> notes) {
        try {
            return postgres.probe();
        } catch (SQLException e) {
            notes.add("PostgreSQL at " + postgres.displayUrl() + " is unreachable (" + e.getMessage()
                    + "); PostgreSQL systems skipped");
            return null;
        }
    }

    /** slf4j-simple logs INFO to stderr; keep only warnings unless asked otherwise. */
    private static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // DBOS logs every workflow interrupted at shutdown (the sleeping ones), Temporal warns about its test server
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.dbos") == null)
            System.setProperty("org.slf4j.simpleLogger.log.dev.dbos", "off");
        if (System.getProperty("org.slf4j.simpleLogger.log.io.temporal") == null)
            System.setProperty("org.slf4j.simpleLogger.log.io.temporal", "error");
    }

    static String environment(BenchOptions o, String postgresServer) {
        return String.format(
                "cores: %d (load average %.2f) | java: %s (%s) | heap max: %d MiB | os: %s %s %s | postgresql: %s",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                postgresServer == null ? "none" : postgresServer);
    }

    private static void printEnvironment(
            BenchOptions o, List<SystemKind> systems, PostgresDatabase postgres, String postgresServer) {
        BenchOptions.Sizes s = o.sizes();
        System.out.println("Tern bench" + (o.quick() ? " (--quick)" : "") + " | systems: "
                + systems.stream().map(SystemKind::id).collect(Collectors.joining(", ")) + " | workloads: "
                + o.workloads().stream().map(Workload::id).collect(Collectors.joining(", ")));
        System.out.println(environment(o, postgresServer));
        System.out.printf(
                "sizes: throughput %,d workflows x 3 steps, %d in flight (warmup: batches of %,d until the JIT "
                        + "settles) | latency %,d | step overhead %,d steps | "
                        + "waiting %,d | recovery %,d | model calls %,d | repetitions %d%n",
                s.workflows(),
                s.inFlight(),
                s.warmupWorkflows(),
                s.latencyWorkflows(),
                s.chainSteps(),
                s.waitingRuns(),
                s.recoveryRuns(),
                s.modelCalls(),
                s.repetitions());
        if (postgres != null)
            System.out.println(
                    "postgresql: " + postgres.displayUrl() + ", a fresh schema per system, dropped afterwards");
    }

    private static void printLegend(BenchOptions o) {
        System.out.println();
        System.out.println(
                "median and min..max over the repetitions; every number measured in this run, after a discarded "
                        + "warmup.");
        System.out.println(
                "Tern/peer = Tern's median / the peer's: DBOS against Tern, PostgreSQL; Temporal against Tern, SQLite");
        System.out.println(
                "  (for workflows/s and steps/s above 1 means Tern is ahead; for ms, µs, s, MiB and threads below 1 "
                        + "does).");
        System.out.println("Tern/limit = Tern's steps/s / raw JDBC with " + Limits.ROWS_PER_BATCH
                + " rows/commit, or Tern's µs/step or latency percentile / raw JDBC with 1 row/commit's,"
                + " on the same store.");
        System.out.println(
                "Temporal runs on its in-memory test server: it keeps nothing durable. SQLite: fsync on every commit.");
        if (o.systems().stream().anyMatch(k -> k.plain() != null)) {
            System.out.println("observed/plain = an observed variant's median / plain Tern's on the same store "
                    + "(Observability.none()); observed: a Prometheus registry");
            System.out.println("  scraped every second, spans sampled by " + ObservedTelemetry.SAMPLER.getDescription()
                    + " and exported as OTLP/HTTP protobuf to a sink in its own JVM.");
            System.out.println("  Below 1 on workflows/s and steps/s, above 1 on ms and µs, is what observing costs.");
        }
    }
}
