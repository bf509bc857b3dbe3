package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Workload 8, what metrics and tracing cost, measured in pairs: plain Tern and its observed variant on the same kind of
 * store, both open in this JVM (each on its own fresh store) and both warmed up, then workload 1 on one and right after
 * on the other, the order alternating from pair to pair. Each pair's ratio compares two runs a few seconds apart, so
 * the machine's drift from minute to minute, as large as the effect on a shared two-core VM, mostly cancels; the median
 * of the ratios is the cost. Each repetition ends once its spans are exported ({@link Contender#settle()}).
 */
final class PairedObservability {
    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;

    PairedObservability(BenchOptions options, Contenders contenders, List<Result> results) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
    }

    /** Whether workload 8 runs for {@code observed}: an observed variant named on the command line. */
    static boolean covers(SystemKind observed) {
        return observed.plain() != null;
    }

    void run(SystemKind observedKind) throws Exception {
        SystemKind plainKind = observedKind.plain();
        BenchOptions.Sizes s = options.sizes();
        int pairs = 2 * s.repetitions();
        try (Contender plain = contenders.open(plainKind);
                Contender observed = contenders.open(observedKind)) {
            Side p = new Side(plainKind, plain, s.inFlight());
            Side o = new Side(observedKind, observed, s.inFlight());
            for (Side side : List.of(p, o, p, o)) {
                Progress.of(side.kind.label(), "paired warmup, " + s.warmupWorkflows() / 2 + " workflows");
                side.workload.run(side.take(s.warmupWorkflows() / 2), s.warmupWorkflows() / 2);
            }
            List<Double> rateRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Progress.of(
                        observedKind.label(),
                        "pair " + (i + 1) + "/" + pairs + ", " + s.workflows() + " workflows each, "
                                + (i % 2 == 0 ? "plain first" : "observed first"));
                ThroughputWorkload.Took first = (i % 2 == 0 ? p : o).measure(s.workflows());
                ThroughputWorkload.Took second = (i % 2 == 0 ? o : p).measure(s.workflows());
                ThroughputWorkload.Took tp = i % 2 == 0 ? first : second;
                ThroughputWorkload.Took to = i % 2 == 0 ? second : first;
                rateRatios.add(tp.seconds() / to.seconds());
                cpuRatios.add(to.cpuSeconds() / tp.cpuSeconds());
            }
            String w = Workload.OBSERVABILITY.label();
            p.report(w, s.workflows());
            o.report(w, s.workflows());
            results.add(new Result(w, observedKind.label(), Metric.PAIRED_WORKFLOWS_RATIO, Spread.of(rateRatios)));
            results.add(new Result(w, observedKind.label(), Metric.PAIRED_CPU_RATIO, Spread.of(cpuRatios)));
        }
    }

    /** One of the two systems: its workload, its next workflow number and what its repetitions took. */
    private final class Side {
        final SystemKind kind;
        final ThroughputWorkload workload;
        final List<ThroughputWorkload.Took> took = new ArrayList<>();
        int next;

        Side(SystemKind kind, Contender contender, int inFlight) {
            this.kind = kind;
            this.workload = new ThroughputWorkload(contender, inFlight);
        }

        int take(int count) {
            int first = next;
            next += count;
            return first;
        }

        ThroughputWorkload.Took measure(int workflows) throws InterruptedException {
            ThroughputWorkload.Took t = workload.run(take(workflows), workflows);
            took.add(t);
            return t;
        }

        void report(String workload, int workflows) {
            results.add(new Result(
                    workload,
                    kind.label(),
                    Metric.WORKFLOWS_PER_SECOND,
                    Spread.of(took.stream().map(t -> workflows / t.seconds()).toList())));
            results.add(new Result(
                    workload,
                    kind.label(),
                    Metric.CPU_MICROS_PER_WORKFLOW,
                    Spread.of(took.stream()
                            .map(t -> t.cpuSeconds() * 1e6 / workflows)
                            .toList())));
        }
    }
}
