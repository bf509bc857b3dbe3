package dev.tern.engine;

import java.time.Instant;
import java.util.List;

/**
 * One webhook message about a run's status change, as the outbox holds it: where it goes, what it says, and how sending
 * it went ({@code pending} until the receiver answers 2xx, then {@code delivered}; {@code failed} once every attempt
 * failed).
 */
public record WebhookDelivery(
        String id,
        String runId,
        String url,
        RunStatus status,
        RunStatus previousStatus,
        long eventSequence,
        Instant occurredAt,
        String state,
        Instant nextAttemptAt,
        Instant deliveredAt,
        List<Attempt> attempts) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    public WebhookDelivery {
        attempts = List.copyOf(attempts);
    }

    /** One POST of the delivery: the receiver's status code, or the error that kept it from answering. */
    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMillis) {
        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }
}
