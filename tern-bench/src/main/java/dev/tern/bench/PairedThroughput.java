package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Workload 1 measured in pairs: a Tern system and a variant of it, both open in this JVM (each on its own fresh store)
 * and both warmed up, then workload 1 on one and right after on the other, the order alternating from pair to pair.
 * Each pair's ratio compares two runs a few seconds apart, so the machine's drift from minute to minute, as large as
 * the effect on a shared two-core VM, mostly cancels; the median of the ratios is the variant's cost. Workload 8 pairs
 * plain Tern with its observed variant (each repetition ends once its spans are exported, {@link Contender#settle()});
 * workload 9 pairs Tern on PostgreSQL in-process with the same engine driven over REST.
 */
final class PairedThroughput {
    /**
     * What a pairing measures: its workload, its two ratio metrics (the variant's workflows/s and CPU per workflow over
     * the base's), and whether the base's own rows are reported too.
     */
    record Pairing(Workload workload, Metric rateRatio, Metric cpuRatio, boolean reportsBase) {
        static final Pairing OBSERVABILITY =
                new Pairing(Workload.OBSERVABILITY, Metric.PAIRED_WORKFLOWS_RATIO, Metric.PAIRED_CPU_RATIO, true);
        /** The in-process base is in workload 1 already; several REST systems may pair with it. */
        static final Pairing REST = new Pairing(
                Workload.REST_PAIRED, Metric.PAIRED_REST_WORKFLOWS_RATIO, Metric.PAIRED_REST_CPU_RATIO, false);
    }

    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;
    private final Pairing pairing;

    PairedThroughput(BenchOptions options, Contenders contenders, List<Result> results, Pairing pairing) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
        this.pairing = pairing;
    }

    void run(SystemKind baseKind, SystemKind variantKind) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        int pairs = 2 * s.repetitions();
        try (Contender base = contenders.open(baseKind);
                Contender variant = contenders.open(variantKind)) {
            Side b = new Side(baseKind, base, s.inFlight());
            Side v = new Side(variantKind, variant, s.inFlight());
            for (Side side : List.of(b, v, b, v)) {
                Progress.of(side.kind.label(), "paired warmup, " + s.warmupWorkflows() / 2 + " workflows");
                side.workload.run(side.take(s.warmupWorkflows() / 2), s.warmupWorkflows() / 2);
            }
            List<Double> rateRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Progress.of(
                        variantKind.label(),
                        "pair " + (i + 1) + "/" + pairs + ", " + s.workflows() + " workflows each, "
                                + (i % 2 == 0 ? baseKind : variantKind).label() + " first");
                ThroughputWorkload.Took first = (i % 2 == 0 ? b : v).measure(s.workflows());
                ThroughputWorkload.Took second = (i % 2 == 0 ? v : b).measure(s.workflows());
                ThroughputWorkload.Took tb = i % 2 == 0 ? first : second;
                ThroughputWorkload.Took tv = i % 2 == 0 ? second : first;
                rateRatios.add(tb.seconds() / tv.seconds());
                cpuRatios.add(tv.cpuSeconds() / tb.cpuSeconds());
            }
            String w = pairing.workload().label();
            if (pairing.reportsBase()) b.report(w, s.workflows());
            v.report(w, s.workflows());
            results.add(new Result(w, variantKind.label(), pairing.rateRatio(), Spread.of(rateRatios)));
            results.add(new Result(w, variantKind.label(), pairing.cpuRatio(), Spread.of(cpuRatios)));
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
            results.addAll(ThroughputWorkload.rows(workload, kind.label(), took, workflows));
        }
    }
}
