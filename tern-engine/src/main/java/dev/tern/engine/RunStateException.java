package dev.tern.engine;

/** The run exists but its state forbids the request (an event sent to a finished run, say). */
public final class RunStateException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String runId;

    public RunStateException(String runId, String message) {
        super(message);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
