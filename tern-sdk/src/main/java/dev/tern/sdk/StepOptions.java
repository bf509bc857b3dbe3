package dev.tern.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step executes: its retry policy and a timeout per attempt ({@code null} = no timeout).
 * An attempt that exceeds the timeout is interrupted and counts as a retryable failure.
 */
public record StepOptions(RetryPolicy retry, Duration timeout) {

  public StepOptions {
    Objects.requireNonNull(retry, "retry");
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /** Default retry policy, no timeout. */
  public static StepOptions defaults() {
    return new StepOptions(RetryPolicy.defaults(), null);
  }

  public StepOptions withRetry(RetryPolicy value) {
    return new StepOptions(value, timeout);
  }

  public StepOptions withTimeout(Duration value) {
    return new StepOptions(retry, value);
  }
}
