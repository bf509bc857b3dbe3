package dev.tern.sdk;

import java.util.Objects;

/**
 * Thrown by workflow or agent code to fail the run at once with the error {@code errorType} and this message. Unlike
 * other exceptions, it also fails an agent's run when thrown by an event handler (where an exception otherwise only
 * marks that event as failed).
 */
public class RunFailedException extends RuntimeException implements TypedError {
    private static final long serialVersionUID = 1L;
    private final String errorType;

    public RunFailedException(String errorType, String message) {
        super(message);
        this.errorType = Objects.requireNonNull(errorType, "errorType");
    }

    /** The error's type as clients see it, e.g. {@code BudgetExceeded}. */
    @Override
    public String errorType() {
        return errorType;
    }
}
