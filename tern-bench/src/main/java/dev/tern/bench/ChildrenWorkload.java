package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Workload 12, "children", as an agent hands work to sub-agents: parents that each start {@value #FAN_OUT} child
 * workflows of one no-op step and await them all, {@value #PARENTS_IN_FLIGHT} parents in flight (up to 64 children at
 * once), a tenth of workload 1's runs per repetition; then a parent with one child, one after another (what a child
 * adds to a run's latency), half of workload 2's runs per repetition. Tern in-process on each store
 * ({@code startChild}, {@code awaitAll}) and DBOS (child workflows started with {@code startWorkflow} from the parent
 * workflow, then awaited), each warmed up on the fan-out until its JIT settles.
 */
final class ChildrenWorkload {
    static final int FAN_OUT = 8;
    static final int PARENTS_IN_FLIGHT = 8;

    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;

    ChildrenWorkload(BenchOptions options, Contenders contenders, List<Result> results) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
    }

    static boolean supports(SystemKind kind) {
        return InputSizeWorkload.supports(kind) || kind == SystemKind.DBOS;
    }

    /** The fan-out's rows: its rate is of parents (each with {@value #FAN_OUT} children), its CPU per parent. */
    static String fanOutLabel() {
        return Workload.CHILDREN.label() + ", " + FAN_OUT + " a parent";
    }

    /** The one-child rows: a parent's schedule-to-completion with one child of one step. */
    static String oneChildLabel() {
        return "12b one child, in turn";
    }

    void run(SystemKind kind) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        int parents = Math.max(1, s.workflows() / 10);
        int inTurn = Math.max(1, s.latencyWorkflows() / 2);
        int[] next = {0};
        JitWarmup.Numbers numbers = count -> {
            int first = next[0];
            next[0] += count;
            return first;
        };
        try (Contender opened = contenders.open(kind)) {
            ThroughputWorkload fanOut = new ThroughputWorkload(new Parents(opened, FAN_OUT), PARENTS_IN_FLIGHT);
            JitWarmup.run(
                    fanOut,
                    numbers,
                    Math.max(1, s.warmupWorkflows() / 10),
                    Math.max(1, s.warmupSeconds() / 2),
                    kind.label(),
                    "children");
            List<ThroughputWorkload.Took> took = new ArrayList<>();
            ServerCpu server = kind.store() == SystemKind.Store.POSTGRES ? contenders.serverCpu() : null;
            List<Double> serverMicros = new ArrayList<>();
            for (int r = 0; r < s.repetitions(); r++) {
                Progress.of(
                        kind.label(),
                        "children " + (r + 1) + "/" + s.repetitions() + ", " + parents + " parents of " + FAN_OUT);
                long serverBefore = server == null ? 0 : server.nanos();
                took.add(fanOut.run(numbers.take(parents), parents));
                if (server != null) serverMicros.add((server.nanos() - serverBefore) / 1e3 / parents);
            }
            results.addAll(ThroughputWorkload.rows(fanOutLabel(), kind.label(), took, parents));
            if (!serverMicros.isEmpty())
                results.add(new Result(
                        fanOutLabel(), kind.label(), Metric.SERVER_CPU_MICROS_PER_WORKFLOW, Spread.of(serverMicros)));

            LatencyWorkload oneChild = new LatencyWorkload(new Parents(opened, 1));
            JitWarmup.run(
                    oneChild::run,
                    numbers,
                    inTurn / 5 + 1,
                    Math.max(1, s.warmupSeconds() / 2),
                    JitWarmup.LATENCY_PERCENT,
                    kind.label(),
                    "one child");
            List<Histogram> reps = new ArrayList<>();
            for (int r = 0; r < s.repetitions(); r++) {
                Progress.of(
                        kind.label(),
                        "one child " + (r + 1) + "/" + s.repetitions() + ", " + inTurn + " parents in sequence");
                reps.add(oneChild.run(numbers.take(inTurn), inTurn));
            }
            results.add(new Result(oneChildLabel(), kind.label(), Metric.P50_MS, SystemRunner.percentile(reps, 50)));
            results.add(new Result(oneChildLabel(), kind.label(), Metric.P99_MS, SystemRunner.percentile(reps, 99)));
        }
    }

    /** Runs parents of {@code children} children each on the opened system, through workloads 1 and 2's loops. */
    private record Parents(Contender system, int children) implements RunsOnly {
        @Override
        public void runSteps(int index, int steps) throws Exception {
            system.runParent(index, children);
        }
    }
}
