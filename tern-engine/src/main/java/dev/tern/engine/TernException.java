package dev.tern.engine;

/** A request the engine refuses, typed so each surface can answer it properly (HTTP status, exit code). */
public abstract sealed class TernException extends RuntimeException
    permits UnknownDefinitionException, RunNotFoundException, InteractionNotFoundException, InvalidInputException, RunStateException,
    ScheduleNotFoundException, ScheduleExistsException, ModelNotConfiguredException, IdempotencyConflictException {
  private static final long serialVersionUID = 1L;

  protected TernException(String message) {
    super(message);
  }
}
