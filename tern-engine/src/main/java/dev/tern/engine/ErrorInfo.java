package dev.tern.engine;

/**
 * Why a run or a step failed: the error's type as clients see it (never a platform or library class name), its message,
 * the step it came from if any, and the id under which the server logged the exception with its class and stack trace
 * ({@code null} for errors Tern raised itself).
 */
public record ErrorInfo(String type, String message, String step, String errorId) {

    public ErrorInfo(String type, String message, String step) {
        this(type, message, step, null);
    }

    public ErrorInfo withStep(String value) {
        return new ErrorInfo(type, message, value, errorId);
    }

    public String summary() {
        return (step == null ? "" : "step '" + step + "': ") + type + ": " + message;
    }
}
