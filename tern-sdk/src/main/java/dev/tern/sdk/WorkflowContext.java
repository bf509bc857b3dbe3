package dev.tern.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What workflow code uses to act durably. Every call takes the next position in the run's step
 * sequence; on replay a position that already completed returns its recorded result without
 * running again. Calling a different step at a recorded position fails the run with a
 * non-determinism error.
 */
public interface WorkflowContext {

  /** This run's id. */
  String runId();

  /** The current attempt of this run (1 on the first execution, +1 on each takeover after a crash). */
  int attempt();

  /** Runs {@code function} as a step with its own options. */
  <I, O> O call(FunctionDefinition<I, O> function, I input);

  /** Runs {@code body} as a step named {@code name} with default options. */
  default <T> T step(String name, Class<T> resultType, StepBody<T> body) {
    return step(name, StepOptions.defaults(), resultType, body);
  }

  /** Runs {@code body} as a step named {@code name}. */
  <T> T step(String name, StepOptions options, Class<T> resultType, StepBody<T> body);

  /** Sleeps durably: a long sleep holds no thread and survives restarts. */
  void sleep(Duration duration);

  /** Waits, durably, for the next event named {@code eventName} sent to this run. */
  <T> T awaitEvent(String eventName, Class<T> type);

  /** Like {@link #awaitEvent(String, Class)}, giving up after {@code timeout}. */
  <T> Optional<T> awaitEvent(String eventName, Class<T> type, Duration timeout);

  /** The current time, recorded so that replay sees the same value. */
  Instant now();

  /** A random number in [0, 1), recorded so that replay sees the same value. */
  double random();

  /** A random UUID, recorded so that replay sees the same value. */
  UUID uuid();
}
