package dev.tern.sdk;

/**
 * Raised in workflow code when a step failed for good (retries exhausted or a non-retryable error). Catch it to
 * compensate; let it escape to fail the run with the step's error.
 */
public class StepFailedException extends RuntimeException implements TypedError {
    private static final long serialVersionUID = 1L;
    private final String stepName;
    private final int attempts;
    private final String errorType;
    private final String errorId;
    private final String errorMessage;

    public StepFailedException(String stepName, int attempts, String errorType, String errorMessage) {
        this(stepName, attempts, errorType, errorMessage, null);
    }

    /** {@code errorId}: where the server logged the step's exception, if it did. */
    public StepFailedException(String stepName, int attempts, String errorType, String errorMessage, String errorId) {
        super("step '" + stepName + "' failed after " + attempts + " attempt(s): " + errorType + ": " + errorMessage);
        this.stepName = stepName;
        this.attempts = attempts;
        this.errorType = errorType;
        this.errorId = errorId;
        this.errorMessage = errorMessage;
    }

    /** The message of the step's last error, without the step and type this exception's message puts in front. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The id under which the server logged the step's last exception, or null. */
    public String errorId() {
        return errorId;
    }

    public String stepName() {
        return stepName;
    }

    public int attempts() {
        return attempts;
    }

    /** The error type of the step's last attempt (see {@link TypedError}). */
    @Override
    public String errorType() {
        return errorType;
    }
}
