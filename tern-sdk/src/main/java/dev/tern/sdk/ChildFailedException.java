package dev.tern.sdk;

/** A child run ended failed or cancelled; thrown where the parent awaits it. */
public final class ChildFailedException extends RuntimeException implements TypedError {
    private static final long serialVersionUID = 1L;
    private final String childRunId;
    private final String status;
    private final String errorType;

    public ChildFailedException(String childRunId, String status, String errorType, String message) {
        super("child run " + childRunId + " ended " + status + (message == null ? "" : ": " + message));
        this.childRunId = childRunId;
        this.status = status;
        this.errorType = errorType;
    }

    public String childRunId() {
        return childRunId;
    }

    /** {@code failed} or {@code cancelled}. */
    public String status() {
        return status;
    }

    @Override
    public String errorType() {
        return errorType;
    }
}
