package dev.tern.engine;

/**
 * An idempotency key already started a run for a different request: another agent or workflow ({@code differs} is
 * {@code name}) or another input ({@code input}). A retry must repeat the request exactly; a new request needs a new
 * key.
 */
public final class IdempotencyConflictException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String idempotencyKey;
    private final String runId;
    private final String differs;

    public IdempotencyConflictException(String idempotencyKey, String runId, String differs, String message) {
        super(message);
        this.idempotencyKey = idempotencyKey;
        this.runId = runId;
        this.differs = differs;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** The run the key started. */
    public String runId() {
        return runId;
    }

    /** What differs from the request that started the run: {@code name} or {@code input}. */
    public String differs() {
        return differs;
    }
}
