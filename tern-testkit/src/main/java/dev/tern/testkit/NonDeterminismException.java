package dev.tern.testkit;

import dev.tern.engine.ReplayResult;
import dev.tern.engine.StepKind;

/**
 * The code of a definition no longer makes the steps a recorded run made, in the same order: replaying the run's
 * history against it ({@link TernReplayer}) reached a position where the history holds one step and the code asks for
 * another, or none. Its message names the position and both steps.
 */
public final class NonDeterminismException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final transient ReplayResult.Divergence divergence;

    NonDeterminismException(String runId, String definition, ReplayResult.Divergence divergence) {
        super("run " + runId + " of " + definition + " does not replay against this code: " + divergence.describe());
        this.runId = runId;
        this.divergence = divergence;
    }

    /** The recorded run. */
    public String runId() {
        return runId;
    }

    /** The position (the step's sequence number) where the code and the history part. */
    public int step() {
        return divergence.step();
    }

    /** The name of the step the history holds at {@link #step()}. */
    public String recordedName() {
        return divergence.recordedName();
    }

    public StepKind recordedKind() {
        return divergence.recordedKind();
    }

    /** The name of the step the code asked for at {@link #step()}, or {@code null} when the code ended first. */
    public String requestedName() {
        return divergence.requestedName();
    }

    /** Its kind, or {@code null} when the code ended first. */
    public StepKind requestedKind() {
        return divergence.requestedKind();
    }

    /** The whole finding, as the engine reports it. */
    public ReplayResult.Divergence divergence() {
        return divergence;
    }
}
