package dev.tern.engine;

/** Why a run or a step failed: the exception type, its message, and the step it came from if any. */
public record ErrorInfo(String type, String message, String step) {

  public static ErrorInfo of(Throwable error) {
    return new ErrorInfo(error.getClass().getName(), String.valueOf(error.getMessage()), null);
  }

  public String summary() {
    return (step == null ? "" : "step '" + step + "': ") + type + ": " + message;
  }
}
