package dev.tern.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of the bench: which systems and workloads, their sizes (full or {@code --quick}), repetitions, and
 * where the databases and results go.
 */
record BenchOptions(
        boolean quick,
        List<SystemKind> systems,
        List<Workload> workloads,
        Sizes sizes,
        String databaseUrl,
        Path dataDir,
        Path outDir) {

    /**
     * How big each workload is.
     *
     * @param repetitions measured repetitions of workloads 1-3 (the median is reported)
     * @param workflows workload 1: workflows of three no-op steps per repetition
     * @param warmupWorkflows workload 1: a batch of the warmup, repeated until the JIT settles ({@link JitWarmup};
     *     workloads 2-3 warm up with a fraction of their own size)
     * @param inFlight workload 1 (and scheduling in 4): at most this many runs unfinished at once
     * @param latencyWorkflows workload 2: one-step workflows in sequence per repetition
     * @param chainSteps workload 3: sequential no-op steps of the one workflow
     * @param waitingRuns workload 4: runs that sleep one hour
     * @param recoveryRuns workload 5: runs interrupted by SIGKILL
     * @param modelCalls workload 6: model calls per way of calling and repetition
     */
    record Sizes(
            int repetitions,
            int workflows,
            int warmupWorkflows,
            int warmupSeconds,
            int inFlight,
            int latencyWorkflows,
            int chainSteps,
            int waitingRuns,
            int recoveryRuns,
            int modelCalls) {
        static final Sizes FULL = new Sizes(5, 10_000, 2_000, 90, 64, 1_000, 2_000, 100_000, 5_000, 2_000);
        static final Sizes QUICK = new Sizes(3, 2_000, 200, 30, 64, 500, 1_000, 5_000, 300, 300);
    }

    static final String USAGE = """
      usage: bench/run [--quick] [--systems LIST] [--workloads LIST] [--reps N] [--workflows N] [--in-flight K]
                       [--warmup-seconds N] [--latency N] [--chain N] [--waiting N] [--recovery N] [--model-calls N]
                       [--database-url URL] [--data-dir DIR] [--out DIR]
        --quick              about a minute: every workload scaled down, 3 repetitions
        --systems LIST       comma-separated from %s (default: all but the *-observed variants, which are
                             Tern with Prometheus metrics and OTLP traces, compared with tern-sqlite / tern-pg)
        --workloads LIST     comma-separated from %s (default: all)
        --reps N             measured repetitions of workloads 1-3 and 6, half the pairs of 8 and 9 (default 5;
                             --quick 3)
        --workflows N        workload 1 size (default 10000; --quick 2000); --in-flight K (default 64)
        --warmup-seconds N   workload 1 warms each system up until its JIT settles, for at most N s (default 90;
                             --quick 30)
        --latency N          workload 2 size (default 1000; --quick 500)
        --chain N            workload 3: steps in the one workflow (default 2000; --quick 1000)
        --waiting N          workloads 4 and 4b: sleeping runs (default 100000; --quick 5000); 4b (waiting-batch,
                             Tern in-process only) schedules them through scheduleAll, 1000 per call
        --recovery N         workload 5: runs killed mid-flight (default 5000; --quick 300)
        --model-calls N      workload 6: model calls per way of calling and repetition (default 2000; --quick 300);
                             runs with tern-sqlite, against a local zero-latency fake model
        workload 7 (scale): tern-sqlite and tern-pg filled to 10,000, 100,000, 1,000,000 finished runs
                             (--quick: 1,000, 10,000, 100,000); latency of everyday calls at each size
        workload 8 (observability): each *-observed system named, paired with plain Tern of its store in one JVM,
                             workload 1 on each in turn (2 x --reps pairs of --workflows): the cost of observing
        workload 9 (rest): each REST system named, paired with tern-pg in-process in one JVM the same way: what
                             driving the engine over HTTP costs, free of the machine's drift between systems
        workload 10 (inputs): tern-sqlite and tern-pg, workload 1 with a 0, 20 and 100 KiB document in each input
        workload 11 (conversation): tern-sqlite and tern-pg, runs of 30 turns whose steps each get the conversation
                             so far, as an agent's model calls do (a twentieth of --workflows per repetition)
        workload 12 (children): tern-sqlite, tern-pg and dbos, parents that start 8 child workflows of one step and
                             await them, 8 parents in flight (a tenth of --workflows per repetition); then a parent
                             with one child, one after another (half of --latency per repetition)
        --database-url URL   PostgreSQL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres); every system
                             gets a fresh schema tern_bench_*, dropped afterwards; unreachable: pg systems skipped
        --data-dir DIR       where fresh SQLite directories are made (default: the system temp dir)
        --out DIR            where results.csv, results.json and results.png go (default bench/results)
      """.formatted(SystemKind.allIds(), Workload.allIds());

    /** Thrown for a bad command line; its message says what is wrong (empty for --help). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    boolean anyPostgres() {
        return systems.stream().anyMatch(s -> s.store() == SystemKind.Store.POSTGRES);
    }

    static BenchOptions parse(String... args) throws UsageException {
        boolean quick = List.of(args).contains("--quick");
        Sizes s = quick ? Sizes.QUICK : Sizes.FULL;
        int reps = s.repetitions(), workflows = s.workflows(), inFlight = s.inFlight(), latency = s.latencyWorkflows();
        int warmupSeconds = s.warmupSeconds();
        int chain = s.chainSteps(), waiting = s.waitingRuns(), recovery = s.recoveryRuns(), modelCalls = s.modelCalls();
        List<SystemKind> systems = SystemKind.defaults();
        List<Workload> workloads = List.of(Workload.values());
        String databaseUrl = PostgresDatabase.DEFAULT_URL;
        Path dataDir = null;
        Path outDir = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--quick" -> {}
                case "--systems" -> systems = list(flag, value(args, ++i, flag), SystemKind::byId, SystemKind.allIds());
                case "--workloads" -> workloads = list(flag, value(args, ++i, flag), Workload::byId, Workload.allIds());
                case "--reps" -> reps = positive(flag, value(args, ++i, flag));
                case "--workflows" -> workflows = positive(flag, value(args, ++i, flag));
                case "--in-flight" -> inFlight = positive(flag, value(args, ++i, flag));
                case "--warmup-seconds" -> warmupSeconds = positive(flag, value(args, ++i, flag));
                case "--latency" -> latency = positive(flag, value(args, ++i, flag));
                case "--chain" -> chain = positive(flag, value(args, ++i, flag));
                case "--waiting" -> waiting = positive(flag, value(args, ++i, flag));
                case "--recovery" -> recovery = positive(flag, value(args, ++i, flag));
                case "--model-calls" -> modelCalls = positive(flag, value(args, ++i, flag));
                case "--database-url" -> databaseUrl = databaseUrl(flag, value(args, ++i, flag));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, flag));
                case "--out" -> outDir = Path.of(value(args, ++i, flag));
                case "-h", "--help" -> throw new UsageException("");
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
        }
        Sizes sizes = new Sizes(
                reps,
                workflows,
                Math.min(s.warmupWorkflows(), workflows),
                warmupSeconds,
                inFlight,
                latency,
                chain,
                waiting,
                recovery,
                modelCalls);
        return new BenchOptions(quick, systems, workloads, sizes, databaseUrl, dataDir, outDir);
    }

    private static String value(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length) throw new UsageException(flag + " needs a value");
        return args[i];
    }

    private static int positive(String flag, String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a positive integer (was '" + text + "')");
    }

    private static <T> List<T> list(String flag, String text, Function<String, T> byId, String known)
            throws UsageException {
        Set<T> chosen = new LinkedHashSet<>();
        for (String id : text.split(",")) {
            T item = byId.apply(id.strip());
            if (item == null) throw new UsageException(flag + ": unknown '" + id.strip() + "' (known: " + known + ")");
            chosen.add(item);
        }
        return new ArrayList<>(chosen);
    }

    private static String databaseUrl(String flag, String url) throws UsageException {
        if (!url.startsWith("jdbc:postgresql:"))
            throw new UsageException(flag + " must start with jdbc:postgresql: (was '" + url + "')");
        if (url.matches(".*[?&]currentSchema=.*")) throw new UsageException(flag + " must not set currentSchema");
        return url;
    }
}
