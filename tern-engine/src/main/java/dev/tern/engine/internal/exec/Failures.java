package dev.tern.engine.internal.exec;

import dev.tern.engine.ErrorInfo;
import dev.tern.sdk.TypedError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception thrown by workflow or step code into what clients see: a type (the exception's own
 * {@link TypedError} type; else the simple name of an application's exception class; else, for platform and library
 * exceptions, a category such as {@code InvalidArgument}) and its message, with an {@code errorId} under which the
 * exception's class and stack trace are logged. Class names of the JDK and of libraries never reach a response.
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    /** Packages that are not the application's: their exceptions get a category, not their name. */
    private static final List<String> PLATFORM = List.of(
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "com.sun.",
            "dev.tern.engine.",
            "dev.tern.sdk.",
            "dev.tern.server.",
            "dev.tern.agents.",
            "com.fasterxml.",
            "dev.langchain4j.",
            "org.postgresql.",
            "org.sqlite.",
            "com.zaxxer.",
            "org.eclipse.",
            "io.javalin.",
            "com.networknt.",
            "com.github.victools.",
            "org.flywaydb.",
            "org.apache.",
            "org.slf4j.",
            "com.google.",
            "io.netty.",
            "okhttp3.",
            "kotlin.",
            "scala.",
            "groovy.",
            "io.modelcontextprotocol.",
            "io.opentelemetry.",
            "io.micrometer.",
            "reactor.");

    private Failures() {}

    /** Describes a step attempt's failure; retried attempts are logged without their stack trace. */
    static ErrorInfo ofStep(String runId, String step, int attempt, Throwable error, boolean final_) {
        ErrorInfo info = describe(error).withStep(step);
        if (final_) {
            log.warn(
                    "run {} step '{}' attempt {} failed for good (errorId {})",
                    runId,
                    step,
                    attempt,
                    info.errorId(),
                    error);
        } else {
            log.info(
                    "run {} step '{}' attempt {} failed, will retry (errorId {}): {}",
                    runId,
                    step,
                    attempt,
                    info.errorId(),
                    error.toString());
        }
        return info;
    }

    /** Describes an exception that ends a run, or an agent's event handler. */
    static ErrorInfo of(String runId, String where, Throwable error) {
        ErrorInfo info = describe(error);
        log.warn("run {}: {} failed (errorId {})", runId, where, info.errorId(), error);
        return info;
    }

    static ErrorInfo describe(Throwable error) {
        String message =
                error.getMessage() == null || error.getMessage().isBlank() ? "(no message)" : error.getMessage();
        return new ErrorInfo(type(error), message, null, UUID.randomUUID().toString());
    }

    static String type(Throwable error) {
        if (error instanceof TypedError typed
                && typed.errorType() != null
                && !typed.errorType().isBlank()) return typed.errorType();
        String name = error.getClass().getName();
        if (PLATFORM.stream().noneMatch(name::startsWith)
                && !error.getClass().getSimpleName().isEmpty()) {
            return error.getClass().getSimpleName();
        }
        return category(error);
    }

    private static String category(Throwable e) {
        if (e instanceof IllegalArgumentException) return "InvalidArgument";
        if (e instanceof IllegalStateException) return "InvalidState";
        if (e instanceof NullPointerException) return "NullValue";
        if (e instanceof ArithmeticException) return "Arithmetic";
        if (e instanceof UnsupportedOperationException) return "Unsupported";
        if (e instanceof IndexOutOfBoundsException) return "OutOfRange";
        if (e instanceof NoSuchElementException) return "NotFound";
        if (e instanceof ClassCastException) return "WrongType";
        if (e instanceof SecurityException) return "Forbidden";
        if (e instanceof InterruptedException) return "Interrupted";
        if (e instanceof java.util.concurrent.TimeoutException
                || e instanceof java.net.SocketTimeoutException
                || e instanceof java.net.http.HttpTimeoutException) {
            return "Timeout";
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) return "IO";
        if (e instanceof dev.tern.sdk.NonRetryableException) return "NonRetryable";
        return "Error";
    }
}
