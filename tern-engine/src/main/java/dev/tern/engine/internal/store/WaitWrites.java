package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What an executing run waits on ({@code runs.waiting_on}, {@code waiting_since}): a limit or a
 * human, marked with a history event the attempt waits for; an event or a child run, noted by a
 * write nobody waits for. Sleeps are marked by their own checkpoints ({@link WaitChange}).
 */
final class WaitWrites {
  /** What the executing attempt waits on, noted lazily (see {@link #note}). */
  static final String NOTE_WAITING = "UPDATE runs SET waiting_on = ?, waiting_since = ?, updated_at = ?, version = version + 1 "
      + "WHERE id = ? AND " + RunRows.OWNED;

  private final GroupCommitWriter writer;
  private final RunRows rows;

  WaitWrites(GroupCommitWriter writer, RunRows rows) {
    this.writer = writer;
    this.rows = rows;
  }

  /** Records {@code waitingOn} ({@code null}: nothing) with its history event; false if the attempt lost the run. */
  CompletableFuture<Boolean> mark(String runId, int attempt, String waitingOn, HistoryEventType event, JsonNode data, Instant now) {
    return writer.submit(tx -> {
      RunStatus visible = limitStatus(event);
      boolean owned = visible == null
          ? rows.appendOwnedHistory(tx, runId, attempt, event, now, null, data).isPresent()
          : rows.appendOwnedStatusChange(tx, runId, attempt, event, now, null, data, visible).isPresent();
      if (!owned) return false;
      tx.update("UPDATE runs SET waiting_on = ?, waiting_since = ?, updated_at = ?, version = version + 1 WHERE id = ?", waitingOn,
          waitingOn == null ? null : now, now, runId);
      return true;
    });
  }

  void note(String runId, int attempt, String waitingOn, Instant since) {
    // nobody waits for it: the run is idle meanwhile, and the write shares the commit of the next one (the suspension, if the
    // wait outlasts the grace period) or commits alone a few milliseconds later
    writer.submitLazy(tx -> tx.update(NOTE_WAITING, waitingOn, since, since, runId, attempt), () -> false);
  }

  /** Waiting on a limit shows the run as queued to clients, and acquiring it as running again: both are status changes. */
  private static RunStatus limitStatus(HistoryEventType event) {
    return switch (event) {
      case WAITING_ON_LIMIT -> RunStatus.QUEUED;
      case LIMIT_ACQUIRED -> RunStatus.RUNNING;
      default -> null;
    };
  }
}
