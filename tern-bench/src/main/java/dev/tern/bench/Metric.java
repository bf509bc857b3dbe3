package dev.tern.bench;

/** What one number in the table measures: its name, unit, and whether more is better. */
enum Metric {
    WORKFLOWS_PER_SECOND("workflows/s", true),
    STEPS_PER_SECOND("steps/s", true),
    /** The bench process's CPU time (every thread: the system's and the workload's clients) per workflow. */
    CPU_MICROS_PER_WORKFLOW("CPU µs/workflow", false),
    /** The PostgreSQL server's CPU time per workflow, when it runs on this machine ({@link ServerCpu}). */
    SERVER_CPU_MICROS_PER_WORKFLOW("PostgreSQL CPU µs/wf", false),
    /**
     * Heap the bench process allocated per workflow (every thread, the system's and the workload's clients alike): what
     * the garbage collector has to clear, a cost the CPU time shows only in part.
     */
    ALLOCATED_KIB_PER_WORKFLOW("heap KiB/workflow", false),
    /**
     * Tern's store writes a transaction during the repetition: how many runs' writes the group commit gathered into
     * each commit (a run's creation, a checkpoint, an end are a write each).
     */
    WRITES_PER_COMMIT("writes/commit", true),
    P50_MS("p50 ms", false),
    P90_MS("p90 ms", false),
    P99_MS("p99 ms", false),
    MICROS_PER_STEP("µs/step", false),
    SCHEDULE_SECONDS("s to schedule all", false),
    HEAP_MIB("heap MiB after GC", false),
    LIVE_THREADS("live threads", false),
    RECOVERY_SECONDS("s until all complete", false),
    RUNS_RECOVERED_PER_SECOND("runs recovered/s", true),
    /** Workload 8: an observed repetition's workflows/s over the plain one's next to it. */
    PAIRED_WORKFLOWS_RATIO("observed/plain wf/s", true),
    /** Workload 8: an observed repetition's CPU per workflow over the plain one's next to it. */
    PAIRED_CPU_RATIO("observed/plain CPU", false),
    /** Workload 9: a REST repetition's workflows/s over the in-process one's next to it. */
    PAIRED_REST_WORKFLOWS_RATIO("REST/in-process wf/s", true),
    /** Workload 9: a REST repetition's CPU per workflow over the in-process one's next to it. */
    PAIRED_REST_CPU_RATIO("REST/in-process CPU", false);

    private final String label;
    private final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    String label() {
        return label;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }
}
