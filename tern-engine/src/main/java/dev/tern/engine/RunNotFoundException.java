package dev.tern.engine;

/** No run with that id (or not of the agent/workflow it was asked under). */
public final class RunNotFoundException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String runId;

    public RunNotFoundException(String runId) {
        super("run '" + runId + "' not found");
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
