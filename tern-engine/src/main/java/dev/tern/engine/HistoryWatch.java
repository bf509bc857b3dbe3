package dev.tern.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes whoever waits for a run's history to grow (SSE streams): one future per watched run,
 * completed and replaced each time the store reports new history for it, from this node's commits
 * or another node's notifications.
 */
final class HistoryWatch {
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /** A future completed at the next change of the run's history; take it before reading, so no change is missed. */
  CompletableFuture<Void> next(String runId) {
    return waiting.computeIfAbsent(runId, k -> new CompletableFuture<>());
  }

  void changed(String runId) {
    if (runId == null) return;
    CompletableFuture<Void> f = waiting.remove(runId);
    if (f != null) f.complete(null);
  }

  /** Wakes every waiter, e.g. after signals may have been missed. */
  void changedAll() {
    for (String runId : waiting.keySet()) changed(runId);
  }
}
