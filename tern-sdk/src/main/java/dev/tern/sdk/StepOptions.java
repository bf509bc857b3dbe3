package dev.tern.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step executes: its retry policy, a timeout per attempt ({@code null} = no timeout), and an optional
 * cluster-wide {@link Limit}, and the step's {@link StepType}. An attempt that exceeds the timeout is interrupted and
 * counts as a retryable failure.
 */
public record StepOptions(RetryPolicy retry, Duration timeout, Limit limit, StepType type) {

    public StepOptions(RetryPolicy retry, Duration timeout, Limit limit) {
        this(retry, timeout, limit, StepType.FUNCTION);
    }

    public StepOptions {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(type, "type");
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Default retry policy, no timeout. */
    public static StepOptions defaults() {
        return new StepOptions(RetryPolicy.defaults(), null, null);
    }

    public StepOptions withRetry(RetryPolicy value) {
        return new StepOptions(value, timeout, limit, type);
    }

    public StepOptions withTimeout(Duration value) {
        return new StepOptions(retry, value, limit, type);
    }

    public StepOptions withLimit(Limit value) {
        return new StepOptions(retry, timeout, value, type);
    }

    /** Marks the step as a thought, tool call, message… for the agent-run view. */
    public StepOptions withType(StepType value) {
        return new StepOptions(retry, timeout, limit, value);
    }

    public static StepOptions of(StepType type) {
        return defaults().withType(type);
    }
}
