package dev.tern.engine;

/**
 * The store cannot serve the request now (unreachable, failing, corrupt, or its disk is full): not the caller's fault,
 * and worth a retry later. {@link #diskFull()} tells the case where nothing helps until space is freed on the server,
 * which surfaces report differently.
 */
public abstract non-sealed class StoreUnavailableException extends TernException {
    private static final long serialVersionUID = 1L;

    /** For the engine's store, which throws its own subclass. */
    protected StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the store failed because the disk (or database) holding it is full. */
    public abstract boolean diskFull();
}
