package dev.tern.bench;

/** Workload 3, "step overhead": one workflow of N sequential no-op steps; its wall time divided by N. */
final class StepOverheadWorkload {
    private final Contender contender;

    StepOverheadWorkload(Contender contender) {
        this.contender = contender;
    }

    /**
     * Runs workflow number {@code index} of {@code steps} steps; returns µs per step (schedule to completion / steps).
     */
    double microsPerStep(int index, int steps) throws Exception {
        long t0 = System.nanoTime();
        contender.runSteps(index, steps);
        return (System.nanoTime() - t0) / 1e3 / steps;
    }
}
