package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One checkpointed step of a run at position {@code seq}. {@code status} is {@code completed},
 * {@code failed}, or {@code waiting} (a sleep whose wake time is recorded in {@code output}).
 */
public record StepRecord(
    String runId,
    int seq,
    String name,
    StepKind kind,
    String status,
    JsonNode input,
    JsonNode output,
    ErrorInfo error,
    int attempts,
    Instant startedAt,
    Instant completedAt,
    int runAttempt) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String WAITING = "waiting";
}
