package dev.tern.sdk;

/** Thrown by a step to fail it at once, whatever its retry policy says. */
public class NonRetryableException extends RuntimeException implements TypedError {
    private static final long serialVersionUID = 1L;
    private final String errorType;

    public NonRetryableException(String message) {
        this(null, message, null);
    }

    public NonRetryableException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /** Fails the step at once with the error type {@code errorType} (see {@link TypedError}). */
    public NonRetryableException(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    @Override
    public String errorType() {
        return errorType;
    }
}
