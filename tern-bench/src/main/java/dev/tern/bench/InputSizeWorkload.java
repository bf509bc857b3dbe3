package dev.tern.bench;

import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 10, "input size": workload 1 (three no-op steps, K in flight) where each run's input is a document of
 * {@link #KIB} KiB, as an agent asked about a document gets it. The store keeps the input, and whatever it writes more
 * than once or rewrites with each step costs in proportion. Tern in-process on each store; within each repetition the
 * sizes take turns on the same engine, so the minutes' drift weighs on all alike. A fifth of workload 1's runs per size
 * and repetition.
 */
final class InputSizeWorkload {
    static final int[] KIB = {0, 20, 100};

    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;

    InputSizeWorkload(BenchOptions options, Contenders contenders, List<Result> results) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
    }

    static boolean supports(SystemKind kind) {
        return kind == SystemKind.TERN_SQLITE || kind == SystemKind.TERN_PG;
    }

    /** The system's row label for a document of {@code kib} KiB. */
    static String label(SystemKind kind, int kib) {
        return kind.label() + ", " + kib + " KiB input";
    }

    void run(SystemKind kind) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        int count = Math.max(1, s.workflows() / 5);
        try (Contender opened = contenders.open(kind)) {
            TernEngine engine = ((TernContender) opened).engine();
            List<ThroughputWorkload> workloads = new ArrayList<>();
            List<List<ThroughputWorkload.Took>> took = new ArrayList<>();
            for (int kib : KIB) {
                workloads.add(new ThroughputWorkload(new Documents(engine, "x".repeat(kib * 1024)), s.inFlight()));
                took.add(new ArrayList<>());
            }
            int next = 0;
            for (int i = 0; i < KIB.length; i++) {
                Progress.of(kind.label(), "input size warmup, " + KIB[i] + " KiB, " + count + " workflows");
                workloads.get(i).run(next, count);
                next += count;
            }
            for (int r = 0; r < s.repetitions(); r++) {
                for (int i = 0; i < KIB.length; i++) {
                    Progress.of(
                            kind.label(),
                            "input size " + (r + 1) + "/" + s.repetitions() + ", " + KIB[i] + " KiB, " + count
                                    + " workflows");
                    took.get(i).add(workloads.get(i).run(next, count));
                    next += count;
                }
            }
            String w = Workload.INPUTS.label();
            for (int i = 0; i < KIB.length; i++)
                results.addAll(ThroughputWorkload.rows(w, label(kind, KIB[i]), took.get(i), count));
        }
    }

    /** Runs {@value BenchWorkflows#DOCUMENT} with one document, awaiting each run and checking what it returned. */
    private record Documents(TernEngine engine, String text) implements RunsOnly {
        @Override
        public void runSteps(int index, int steps) throws InterruptedException {
            String id = engine.start(BenchWorkflows.DOCUMENT, new BenchWorkflows.Document(index, text));
            RunRecord run = engine.awaitCompletion(id, TernContender.RUN_TIMEOUT);
            if (run.status() != RunStatus.COMPLETED || run.output().path("sum").asInt() != text.length())
                throw new IllegalStateException("run " + id + " ended " + run.status() + " with " + run.output());
        }
    }
}
