package dev.tern.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a failing step is retried: up to {@code maxAttempts} executions, waiting {@code initialInterval *
 * backoffCoefficient^(n-1)} (capped at {@code maxInterval}) between them. An exception whose class (or a superclass) is
 * listed in {@code nonRetryable}, or a {@link NonRetryableException}, fails the step at once.
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialInterval,
        double backoffCoefficient,
        Duration maxInterval,
        List<Class<? extends Throwable>> nonRetryable) {

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        Objects.requireNonNull(initialInterval, "initialInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (initialInterval.isNegative()) throw new IllegalArgumentException("initialInterval must not be negative");
        if (backoffCoefficient < 1.0)
            throw new IllegalArgumentException("backoffCoefficient must be >= 1.0, was " + backoffCoefficient);
        if (maxInterval.compareTo(initialInterval) < 0)
            throw new IllegalArgumentException("maxInterval must be >= initialInterval");
        nonRetryable = List.copyOf(nonRetryable);
    }

    /** Three attempts, 1 s apart at first, doubling up to 1 minute. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), List.of());
    }

    /** A single attempt: the first failure is final. */
    public static RetryPolicy none() {
        return defaults().withMaxAttempts(1);
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, initialInterval, backoffCoefficient, maxInterval, nonRetryable);
    }

    public RetryPolicy withInitialInterval(Duration value) {
        Duration max = maxInterval.compareTo(value) < 0 ? value : maxInterval;
        return new RetryPolicy(maxAttempts, value, backoffCoefficient, max, nonRetryable);
    }

    public RetryPolicy withBackoffCoefficient(double value) {
        return new RetryPolicy(maxAttempts, initialInterval, value, maxInterval, nonRetryable);
    }

    public RetryPolicy withMaxInterval(Duration value) {
        return new RetryPolicy(maxAttempts, initialInterval, backoffCoefficient, value, nonRetryable);
    }

    @SafeVarargs
    public final RetryPolicy withNonRetryable(Class<? extends Throwable>... types) {
        return new RetryPolicy(maxAttempts, initialInterval, backoffCoefficient, maxInterval, List.of(types));
    }

    /** The wait before attempt {@code failedAttempt + 1}. */
    public Duration delayAfter(int failedAttempt) {
        double millis = initialInterval.toMillis() * Math.pow(backoffCoefficient, Math.max(0, failedAttempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
    }

    /** Whether {@code error} may be retried under this policy. */
    public boolean isRetryable(Throwable error) {
        if (error instanceof NonRetryableException) return false;
        for (Class<? extends Throwable> type : nonRetryable) {
            if (type.isInstance(error)) return false;
        }
        return true;
    }
}
