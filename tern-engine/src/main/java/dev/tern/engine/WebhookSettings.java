package dev.tern.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhook deliveries are sent: the secret their {@code Tern-Signature} is an HMAC with ({@code null}: unsigned),
 * the backoff between failed attempts (doubling from {@code initialBackoff} up to {@code maxBackoff}), how many
 * attempts before a delivery is {@code failed}, and how long one POST may take.
 */
public record WebhookSettings(
        String secret, Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration requestTimeout) {

    public WebhookSettings {
        if (secret != null && secret.isEmpty()) secret = null;
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (initialBackoff.isNegative() || initialBackoff.isZero())
            throw new IllegalArgumentException("initialBackoff must be positive");
        if (maxBackoff.compareTo(initialBackoff) < 0)
            throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (requestTimeout.isNegative() || requestTimeout.isZero())
            throw new IllegalArgumentException("requestTimeout must be positive");
    }

    /** Unsigned; 1 s, 2 s, 4 s… up to 5 min between attempts; 10 attempts; 10 s per request. */
    public static WebhookSettings defaults() {
        return new WebhookSettings(null, Duration.ofSeconds(1), Duration.ofMinutes(5), 10, Duration.ofSeconds(10));
    }

    public WebhookSettings withSecret(String value) {
        return new WebhookSettings(value, initialBackoff, maxBackoff, maxAttempts, requestTimeout);
    }

    public WebhookSettings withBackoff(Duration initial, Duration max) {
        return new WebhookSettings(secret, initial, max, maxAttempts, requestTimeout);
    }

    public WebhookSettings withMaxAttempts(int value) {
        return new WebhookSettings(secret, initialBackoff, maxBackoff, value, requestTimeout);
    }

    /** The wait after failed attempt number {@code attempt} (1-based): initial × 2^(attempt-1), capped. */
    public Duration backoffAfter(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
