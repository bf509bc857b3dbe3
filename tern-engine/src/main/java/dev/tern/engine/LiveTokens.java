package dev.tern.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands the text steps stream while they execute on this node to whoever watches their run right
 * now. Nothing is kept: a token with no watcher is dropped, which costs a map lookup.
 */
final class LiveTokens {
  private final Map<String, List<Consumer<LiveToken>>> watchers = new ConcurrentHashMap<>();

  AutoCloseable subscribe(String runId, Consumer<LiveToken> listener) {
    watchers.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> watchers.computeIfPresent(runId, (k, list) -> {
      list.remove(listener);
      return list.isEmpty() ? null : list;
    });
  }

  void publish(String runId, int stepSeq, int attempt, String text) {
    List<Consumer<LiveToken>> list = watchers.get(runId);
    if (list == null) return;
    LiveToken token = new LiveToken(runId, stepSeq, attempt, text);
    for (Consumer<LiveToken> l : list) l.accept(token);
  }
}
