package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A run as stored: what was asked ({@code kind}, {@code name}, {@code input}), where it stands,
 * and how it ended. {@code budget} is what it may spend on model calls (as scheduled; {@code null}: none given). {@code suspended} runs hold no thread and resume at {@code wakeAt} or when
 * an event arrives. {@link #status()} is what clients see; {@code storedStatus} is what the
 * engine schedules by. {@code version} is the record's optimistic version: it changes with every
 * write that changes the run as its views show it (status, waiting state, suspension, output,
 * attempt, cancel request, pending events), not with history alone (step checkpoints).
 */
public record RunRecord(
    String id,
    String kind,
    String name,
    RunStatus storedStatus,
    JsonNode input,
    JsonNode output,
    ErrorInfo error,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    Instant updatedAt,
    int attempt,
    String owner,
    boolean suspended,
    Instant wakeAt,
    boolean cancelRequested,
    long lastEventSeq,
    Instant deadlineAt,
    String idempotencyKey,
    String webhookUrl,
    RunLinks links,
    RunWait waiting,
    dev.tern.sdk.Budget budget,
    long version) {

  /** The status clients see: a running run blocked on a human is awaiting-human, one waiting on a limit is queued. */
  public RunStatus status() {
    if (storedStatus == RunStatus.RUNNING && waiting != null) {
      if (waiting.onHuman()) return RunStatus.AWAITING_HUMAN;
      if (waiting.onLimit()) return RunStatus.QUEUED;
    }
    return storedStatus;
  }
}
