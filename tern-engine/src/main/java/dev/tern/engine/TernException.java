package dev.tern.engine;

/**
 * A request the engine refuses or cannot serve now, typed so each surface can answer it properly (HTTP status, exit
 * code).
 */
public abstract sealed class TernException extends RuntimeException
        permits UnknownDefinitionException,
                RunNotFoundException,
                InteractionNotFoundException,
                InvalidInputException,
                RunStateException,
                ScheduleNotFoundException,
                ScheduleExistsException,
                ModelNotConfiguredException,
                IdempotencyConflictException,
                QuotaExceededException,
                StoreUnavailableException,
                BatchItemException {
    private static final long serialVersionUID = 1L;

    protected TernException(String message) {
        super(message);
    }

    protected TernException(String message, Throwable cause) {
        super(message, cause);
    }
}
