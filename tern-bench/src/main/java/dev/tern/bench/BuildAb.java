package dev.tern.bench;

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of Tern side by side in one JVM ({@code bench/ab}): workload 1 (or 2) on a base build and on a variant,
 * each in its own class loader ({@link BuildSide}) on its own fresh store, in rounds that take turns (base first in one
 * round, the variant first in the next). Separate processes of one build differ by ±15% on a shared two-core machine,
 * more than most changes to the engine; rounds a few seconds apart in one process share its JIT, heap and the machine's
 * minute, so the median of the rounds' ratios shows what the change is worth.
 */
public final class BuildAb {
    static final String USAGE = """
      usage: bench/ab GIT-REF [options]   (the working tree's engine against GIT-REF's)
             BuildAb --base LIBDIR --variant LIBDIR [options]
        --workload W        throughput (default: workload 1, three no-op steps a workflow, 64 in flight) or latency
                            (workload 2: one-step workflows one after another; p50 and p99 a round)
        --workflows N       workflows a round (default 10000 for throughput, 1000 for latency)
        --rounds N          measured rounds a side (default 10)
        --warmup-rounds N   unmeasured rounds a side first (default 4)
        --in-flight N       workflows in flight (default 64)
        --via WAY           in-process (default), rest (POST, then a long-poll GET) or rest-one-request: each side
                            serves its own REST API on a port of its own, driven by the bench's HTTP client
        --database-url URL  PostgreSQL instead of SQLite: each side gets a scratch schema, dropped afterwards
        --data-dir DIR      where the SQLite stores are made (default: the system temp dir)
      """;

    /**
     * The command line: each side's classpath and the sizes; an {@link IllegalArgumentException} says what is wrong.
     */
    record Options(
            List<Path> base,
            List<Path> variant,
            Measure measure,
            int workflows,
            int rounds,
            int warmupRounds,
            int inFlight,
            AbRound.Via via,
            String databaseUrl,
            Path dataDir) {}

    /** What a round measures: workload 1's rate and CPU, or workload 2's p50 and p99 (lower is better). */
    enum Measure {
        THROUGHPUT(10_000, "workflows/s", "µs CPU a workflow", true),
        LATENCY(1_000, "µs at p50", "µs at p99", false);

        final int defaultWorkflows;
        final String first;
        final String second;
        final boolean higherIsBetter;

        Measure(int defaultWorkflows, String first, String second, boolean higherIsBetter) {
            this.defaultWorkflows = defaultWorkflows;
            this.first = first;
            this.second = second;
            this.higherIsBetter = higherIsBetter;
        }

        static Measure byId(String id) {
            return switch (id) {
                case "throughput" -> THROUGHPUT;
                case "latency" -> LATENCY;
                default ->
                    throw new IllegalArgumentException("--workload must be throughput or latency, was '" + id + "'");
            };
        }

        double[] round(BuildSide side, int workflows) throws Exception {
            return this == THROUGHPUT ? side.round(workflows) : side.latencyRound(workflows);
        }
    }

    /**
     * Variant over base: the medians of the rounds' ratios of the first number (workflows/s, or p50) and of the second
     * (CPU a workflow, or p99), and in how many rounds the variant was better by the first.
     */
    record Outcome(double ratio, double secondRatio, int variantAhead, int rounds) {}

    private BuildAb() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) err.println("error: " + e.getMessage());
            err.print(USAGE);
            return e.getMessage().isEmpty() ? 0 : 2;
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        return compareOrSay(options, out, err);
    }

    /** {@link #compare}, or 1 with what stopped a side from starting (an unreachable database, say), said on err. */
    static int compareOrSay(Options options, PrintStream out, PrintStream err) throws Exception {
        try {
            compare(options, out);
            return 0;
        } catch (java.lang.reflect.InvocationTargetException e) {
            err.println("error: a side could not start: " + e.getCause().getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    static Options parse(String... args) {
        List<Path> base = null;
        List<Path> variant = null;
        Measure measure = Measure.THROUGHPUT;
        int workflows = -1;
        int rounds = 10;
        int warmup = 4;
        int inFlight = 64;
        AbRound.Via via = AbRound.Via.IN_PROCESS;
        String databaseUrl = null;
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) throw new IllegalArgumentException("");
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String value = args[++i];
            switch (flag) {
                case "--base" -> base = jars(flag, value);
                case "--variant" -> variant = jars(flag, value);
                case "--workload" -> measure = Measure.byId(value);
                case "--workflows" -> workflows = positive(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--warmup-rounds" -> warmup = positive(flag, value);
                case "--in-flight" -> inFlight = positive(flag, value);
                case "--via" -> via = AbRound.Via.byId(value);
                case "--database-url" -> databaseUrl = postgresUrl(flag, value);
                case "--data-dir" -> dataDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (base == null || variant == null) throw new IllegalArgumentException("--base and --variant are required");
        if (workflows < 0) workflows = measure.defaultWorkflows;
        return new Options(base, variant, measure, workflows, rounds, warmup, inFlight, via, databaseUrl, dataDir);
    }

    private static List<Path> jars(String flag, String dir) {
        if (!Files.isDirectory(Path.of(dir))) throw new IllegalArgumentException(flag + ": no such directory " + dir);
        try {
            List<Path> jars = BuildSide.jarsIn(Path.of(dir));
            if (jars.isEmpty()) throw new IllegalArgumentException(flag + ": no jars in " + dir);
            return jars;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(flag + ": cannot list " + dir + " (" + e.getMessage() + ")");
        }
    }

    private static String postgresUrl(String flag, String value) {
        if (value.startsWith("jdbc:postgresql:")) return value;
        throw new IllegalArgumentException(flag + " must start with jdbc:postgresql:, was '" + value + "'");
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " must be a whole number above 0, was '" + value + "'");
    }

    /** Opens both sides, warms them up, runs the rounds taking turns and prints each round and the outcome. */
    static Outcome compare(Options o, PrintStream out) throws Exception {
        URL benchClasses = BuildAb.class.getProtectionDomain().getCodeSource().getLocation();
        Files.createDirectories(o.dataDir());
        Measure m = o.measure();
        out.printf(
                "Tern A/B | store: %s, %s | %s: %,d workflows a round%s | %d warm-up and %d measured rounds a side,"
                        + " taking turns%n",
                o.databaseUrl() == null ? "SQLite (fsync on)" : "PostgreSQL",
                o.via().id(),
                m == Measure.THROUGHPUT ? "workload 1" : "workload 2",
                o.workflows(),
                m == Measure.THROUGHPUT ? " x 3 steps, " + o.inFlight() + " in flight" : ", one step each, in sequence",
                o.warmupRounds(),
                o.rounds());
        try (BuildSide base = BuildSide.open(
                        "base", benchClasses, o.base(), o.dataDir(), o.databaseUrl(), o.inFlight(), o.via());
                BuildSide variant = BuildSide.open(
                        "variant", benchClasses, o.variant(), o.dataDir(), o.databaseUrl(), o.inFlight(), o.via())) {
            for (int i = 0; i < o.warmupRounds(); i++) {
                m.round(base, o.workflows());
                m.round(variant, o.workflows());
            }
            double[] first = new double[o.rounds()];
            double[] second = new double[o.rounds()];
            int ahead = 0;
            for (int r = 0; r < o.rounds(); r++) {
                double[] b;
                double[] v;
                if (r % 2 == 0) {
                    b = m.round(base, o.workflows());
                    v = m.round(variant, o.workflows());
                } else {
                    v = m.round(variant, o.workflows());
                    b = m.round(base, o.workflows());
                }
                first[r] = v[0] / b[0];
                second[r] = v[1] / b[1];
                if (m.higherIsBetter ? v[0] > b[0] : v[0] < b[0]) ahead++;
                out.printf(
                        "round %2d | base %,7.0f %s %,6.0f %s | variant %,7.0f %,6.0f | variant/base %.3f, %.3f%n",
                        r + 1, b[0], m.first, b[1], m.second, v[0], v[1], first[r], second[r]);
            }
            Outcome outcome = new Outcome(median(first), median(second), ahead, o.rounds());
            double[] sorted = first.clone();
            Arrays.sort(sorted);
            out.printf(
                    "variant/base: %s %.3f (median; %.3f..%.3f), the variant better in %d of %d rounds; %s %.3f%n",
                    m.first,
                    outcome.ratio(),
                    sorted[0],
                    sorted[sorted.length - 1],
                    ahead,
                    o.rounds(),
                    m.second,
                    outcome.secondRatio());
            return outcome;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
