package dev.tern.engine;

import dev.tern.sdk.RunFailedException;

/**
 * A JSON value (an input, event, answer or recorded result) that cannot be read into the type its definition declares.
 * The message names the field as a JSON path and what it must be, never a Java type; thrown inside a run it fails the
 * run with the error type {@value #ERROR_TYPE}.
 */
public final class UnreadablePayloadException extends RunFailedException {
    public static final String ERROR_TYPE = "UnreadablePayload";
    private static final long serialVersionUID = 1L;
    private final transient Violation violation;

    public UnreadablePayloadException(Violation violation) {
        super(ERROR_TYPE, violation.field() + ": " + violation.message());
        this.violation = violation;
    }

    /** The field that could not be read and why. */
    public Violation violation() {
        return violation;
    }
}
