package dev.tern.engine.internal.exec;

import java.time.Duration;

/** A step attempt ran past its timeout and was interrupted. */
public final class StepTimeoutException extends RuntimeException implements dev.tern.sdk.TypedError {
    private static final long serialVersionUID = 1L;

    StepTimeoutException(String step, Duration timeout) {
        super("step '" + step + "' timed out after " + timeout.toMillis() + " ms");
    }

    @Override
    public String errorType() {
        return "StepTimeout";
    }
}
