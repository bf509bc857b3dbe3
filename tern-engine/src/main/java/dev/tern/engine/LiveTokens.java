package dev.tern.engine;

import dev.tern.engine.internal.exec.TokenPublisher;
import dev.tern.engine.internal.store.TokenRelay;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands the text steps stream while they execute to whoever watches their run right now: on this node at once, on the
 * other nodes of a cluster through the store's {@link TokenRelay}. Nothing is kept: a token with no watcher costs a map
 * lookup.
 */
final class LiveTokens implements TokenPublisher {
    private final Map<String, List<Consumer<LiveToken>>> watchers = new ConcurrentHashMap<>();
    private final TokenRelay relay;

    LiveTokens(TokenRelay relay) {
        this.relay = relay;
        relay.subscribe(this::deliver);
    }

    AutoCloseable subscribe(String runId, Consumer<LiveToken> listener) {
        watchers.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> watchers.computeIfPresent(runId, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** A step executing here streamed {@code text}: to this node's watchers, and to the other nodes'. */
    @Override
    public void publish(String runId, int stepSeq, int attempt, String text) {
        LiveToken token = new LiveToken(runId, stepSeq, attempt, text);
        deliver(token);
        relay.publish(token);
    }

    @Override
    public void flush() {
        relay.flush();
    }

    /** To this node's watchers of the token's run. */
    private void deliver(LiveToken token) {
        List<Consumer<LiveToken>> list = watchers.get(token.runId());
        if (list == null) return;
        for (Consumer<LiveToken> l : list) l.accept(token);
    }
}
