package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Runs workloads 1-4 on one system: 1-3 on one fresh contender (each warmed up first, then repeated, the median
 * reported), 4 on another fresh one (it leaves sleeping runs behind).
 */
final class SystemRunner {
    private final BenchOptions options;
    private final Contenders contenders;
    private final SystemKind kind;
    private final List<Result> results;
    private final List<String> notes;
    private int nextIndex;

    SystemRunner(
            BenchOptions options, Contenders contenders, SystemKind kind, List<Result> results, List<String> notes) {
        this.options = options;
        this.contenders = contenders;
        this.kind = kind;
        this.results = results;
        this.notes = notes;
    }

    void runShortWorkloads() throws Exception {
        List<Workload> chosen = options.workloads();
        if (!chosen.contains(Workload.THROUGHPUT)
                && !chosen.contains(Workload.LATENCY)
                && !chosen.contains(Workload.STEPS)) return;
        Progress.of(kind.label(), "starting");
        try (Contender contender = contenders.open(kind)) {
            // latency and step overhead alone were measured on a cold JIT: 850-935 µs a step on PostgreSQL against
            // 382 µs after workload 1's warmup (tern-pg, --quick), so they get that warmup even without workload 1
            ThroughputWorkload warmed = warmUp(contender);
            if (chosen.contains(Workload.THROUGHPUT)) throughput(contender, warmed);
            if (chosen.contains(Workload.LATENCY)) latency(contender);
            if (chosen.contains(Workload.STEPS)) steps(contender);
        }
    }

    /** Workload 1's JIT warmup ({@link JitWarmup}) on {@code contender}; returns the warmed workload. */
    private ThroughputWorkload warmUp(Contender contender) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        ThroughputWorkload workload = new ThroughputWorkload(contender, s.inFlight());
        JitWarmup.Done warm =
                JitWarmup.run(workload, this::take, s.warmupWorkflows(), s.warmupSeconds(), kind.label(), "throughput");
        note(warm, "workload 1", JitWarmup.THROUGHPUT_PERCENT);
        return workload;
    }

    private void note(JitWarmup.Done warm, String workload, int settledPercent) {
        notes.add(String.format(
                "%s: warmed up on %,d workflows of %s in %.0f s %s",
                kind.label(),
                warm.workflows(),
                workload,
                warm.seconds(),
                warm.settled()
                        ? "until the JIT compiled for under " + settledPercent + "% of " + JitWarmup.WINDOW_SECONDS
                                + " s"
                        : "without the JIT settling"));
    }

    private void throughput(Contender contender, ThroughputWorkload workload) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuMicros = new ArrayList<>();
        List<Double> allocatedKib = new ArrayList<>();
        List<Double> serverMicros = new ArrayList<>();
        List<Double> writesPerCommit = new ArrayList<>();
        ServerCpu server = kind.store() == SystemKind.Store.POSTGRES ? contenders.serverCpu() : null;
        for (int r = 0; r < s.repetitions(); r++) {
            Progress.of(
                    kind.label(),
                    "throughput " + (r + 1) + "/" + s.repetitions() + ", " + s.workflows() + " workflows, "
                            + s.inFlight() + " in flight");
            long serverBefore = server == null ? 0 : server.nanos();
            long[] writesBefore = contender.storeWriteCounters();
            ThroughputWorkload.Took took = workload.run(take(s.workflows()), s.workflows());
            long[] writesAfter = contender.storeWriteCounters();
            if (writesBefore != null && writesAfter[1] > writesBefore[1])
                writesPerCommit.add((double) (writesAfter[0] - writesBefore[0]) / (writesAfter[1] - writesBefore[1]));
            seconds.add(took.seconds());
            cpuMicros.add(took.cpuSeconds() * 1e6 / s.workflows());
            if (took.allocatedBytes() >= 0) allocatedKib.add(took.allocatedBytes() / 1024.0 / s.workflows());
            if (server != null) serverMicros.add((server.nanos() - serverBefore) / 1e3 / s.workflows());
        }
        String w = Workload.THROUGHPUT.label();
        results.add(new Result(
                w,
                kind.label(),
                Metric.WORKFLOWS_PER_SECOND,
                Spread.of(seconds.stream().map(t -> s.workflows() / t).toList())));
        results.add(new Result(
                w,
                kind.label(),
                Metric.STEPS_PER_SECOND,
                Spread.of(seconds.stream()
                        .map(t -> s.workflows() * ThroughputWorkload.STEPS / t)
                        .toList())));
        results.add(new Result(w, kind.label(), Metric.CPU_MICROS_PER_WORKFLOW, Spread.of(cpuMicros)));
        if (!allocatedKib.isEmpty())
            results.add(new Result(w, kind.label(), Metric.ALLOCATED_KIB_PER_WORKFLOW, Spread.of(allocatedKib)));
        if (!serverMicros.isEmpty())
            results.add(new Result(w, kind.label(), Metric.SERVER_CPU_MICROS_PER_WORKFLOW, Spread.of(serverMicros)));
        if (!writesPerCommit.isEmpty())
            results.add(new Result(w, kind.label(), Metric.WRITES_PER_COMMIT, Spread.of(writesPerCommit)));
    }

    private void latency(Contender contender) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        LatencyWorkload workload = new LatencyWorkload(contender);
        // one run at a time takes branches workload 1's warmup did not settle, see JitWarmup
        JitWarmup.Done warm = JitWarmup.run(
                workload::run,
                this::take,
                Math.max(1, s.latencyWorkflows() / 5),
                s.warmupSeconds(),
                JitWarmup.LATENCY_PERCENT,
                kind.label(),
                "latency");
        note(warm, "workload 2", JitWarmup.LATENCY_PERCENT);
        List<Histogram> reps = new ArrayList<>();
        for (int r = 0; r < s.repetitions(); r++) {
            Progress.of(
                    kind.label(),
                    "latency " + (r + 1) + "/" + s.repetitions() + ", " + s.latencyWorkflows()
                            + " one-step workflows in sequence");
            reps.add(workload.run(take(s.latencyWorkflows()), s.latencyWorkflows()));
        }
        String w = Workload.LATENCY.label();
        results.add(new Result(w, kind.label(), Metric.P50_MS, percentile(reps, 50)));
        results.add(new Result(w, kind.label(), Metric.P90_MS, percentile(reps, 90)));
        results.add(new Result(w, kind.label(), Metric.P99_MS, percentile(reps, 99)));
    }

    /** The {@code p}th percentile of each repetition's samples (µs), in ms. */
    static Spread percentile(List<Histogram> reps, double p) {
        Function<Histogram, Double> ms = h -> h.getValueAtPercentile(p) / 1000.0;
        return Spread.of(reps.stream().map(ms).toList());
    }

    private void steps(Contender contender) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        StepOverheadWorkload workload = new StepOverheadWorkload(contender);
        int warmupSteps = Math.max(1, s.chainSteps() / 4);
        JitWarmup.Done warm = JitWarmup.run(
                (first, count) -> workload.microsPerStep(first, warmupSteps),
                this::take,
                1,
                s.warmupSeconds(),
                JitWarmup.LATENCY_PERCENT,
                kind.label(),
                "step overhead (workflows of " + warmupSteps + " steps)");
        note(warm, "workload 3 (" + warmupSteps + " steps each)", JitWarmup.LATENCY_PERCENT);
        List<Double> micros = new ArrayList<>();
        for (int r = 0; r < s.repetitions(); r++) {
            Progress.of(
                    kind.label(),
                    "step overhead " + (r + 1) + "/" + s.repetitions() + ", one workflow of " + s.chainSteps()
                            + " steps");
            micros.add(workload.microsPerStep(take(1), s.chainSteps()));
        }
        results.add(new Result(Workload.STEPS.label(), kind.label(), Metric.MICROS_PER_STEP, Spread.of(micros)));
    }

    void runWaiting() throws Exception {
        if (!options.workloads().contains(Workload.WAITING) || kind.rest()) return;
        waiting(Workload.WAITING, options.sizes().inFlight(), 1);
    }

    /** Workload 4 again, scheduled in batches: on Tern in-process only (the others have no batch to compare). */
    void runWaitingBatches() throws Exception {
        if (!options.workloads().contains(Workload.WAITING_BATCH) || !kind.tern() || kind.rest()) return;
        waiting(Workload.WAITING_BATCH, WaitingWorkload.BATCHES_IN_FLIGHT, WaitingWorkload.BATCH);
    }

    private void waiting(Workload w, int inFlight, int batch) throws Exception {
        int count = options.sizes().waitingRuns();
        String what = batch == 1 ? "waiting runs" : "waiting runs in batches of " + batch;
        Progress.of(kind.label(), what + ", " + count + " runs that sleep an hour");
        double heapBefore = WaitingWorkload.heapAfterGcMib();
        WaitingWorkload.Outcome o;
        try (Contender contender = contenders.open(kind)) {
            if (batch > 1 && !contender.batches()) throw new IllegalStateException(kind.label() + " has no batches");
            o = new WaitingWorkload(contender, inFlight, batch).run(count);
            Progress.of(
                    kind.label(),
                    what + ": scheduled " + o.scheduled() + " in " + String.format("%.1f", o.scheduleSeconds())
                            + " s, closing");
        }
        String label = w.label();
        results.add(new Result(label, kind.label(), Metric.SCHEDULE_SECONDS, Spread.single(o.scheduleSeconds())));
        results.add(new Result(label, kind.label(), Metric.HEAP_MIB, Spread.single(o.heapMib())));
        results.add(new Result(label, kind.label(), Metric.LIVE_THREADS, Spread.single(o.liveThreads())));
        notes.add(String.format(
                "%s, %s: heap after GC was %.0f MiB before the system started", what, kind.label(), heapBefore));
        if (o.scheduled() < count) {
            notes.add(what + ", " + kind.label() + ": only " + o.scheduled() + " of " + count + " scheduled within "
                    + WaitingWorkload.BUDGET.toMinutes() + " min; heap and threads are for those");
        }
    }

    private int take(int count) {
        int first = nextIndex;
        nextIndex += count;
        return first;
    }
}
