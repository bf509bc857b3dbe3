package dev.tern.sdk;

/**
 * An exception that names its error type as clients see it (a run's or step's {@code error.type}, e.g.
 * {@code PaymentDeclined}). Without it, an application's own exception is reported by its simple class name and a
 * platform or library exception by a generic category such as {@code InvalidArgument}; class names only ever appear in
 * the server's log.
 */
public interface TypedError {
    /** The error's type, or {@code null} to let Tern name it. */
    String errorType();
}
