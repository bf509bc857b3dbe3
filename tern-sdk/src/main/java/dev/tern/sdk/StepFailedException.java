package dev.tern.sdk;

/**
 * Raised in workflow code when a step failed for good (retries exhausted or a non-retryable
 * error). Catch it to compensate; let it escape to fail the run with the step's error.
 */
public class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String stepName;
  private final int attempts;
  private final String errorType;

  public StepFailedException(String stepName, int attempts, String errorType, String errorMessage) {
    super("step '" + stepName + "' failed after " + attempts + " attempt(s): " + errorType + ": " + errorMessage);
    this.stepName = stepName;
    this.attempts = attempts;
    this.errorType = errorType;
  }

  public String stepName() {
    return stepName;
  }

  public int attempts() {
    return attempts;
  }

  /** Class name of the exception the step's last attempt threw. */
  public String errorType() {
    return errorType;
  }
}
