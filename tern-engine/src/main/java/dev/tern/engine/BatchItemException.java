package dev.tern.engine;

/**
 * One run of a batch ({@link TernEngine#scheduleAll}) was refused, so none of the batch was created: {@link #index()}
 * is its place in the batch (from 0), {@link #reason()} why (an input that breaks the schema, an unknown name, an
 * idempotency key that started a different request...).
 */
public final class BatchItemException extends TernException {
    private static final long serialVersionUID = 1L;
    private final int index;

    public BatchItemException(int index, TernException reason) {
        super("runs[" + index + "]: " + reason.getMessage(), reason);
        this.index = index;
    }

    public int index() {
        return index;
    }

    public TernException reason() {
        return (TernException) getCause();
    }
}
