package dev.tern.engine.internal.store;

import dev.tern.engine.LiveToken;
import java.util.function.Consumer;

/**
 * Carries the live text of steps (a model's tokens) to the other nodes of a cluster, whose clients may be streaming the
 * run. Best effort: tokens are not history, and one lost only leaves a gap in a live view the checkpointed reply later
 * fills.
 */
public interface TokenRelay extends AutoCloseable {
    /** One process owns the store (SQLite): there is nobody to tell. */
    TokenRelay NONE = new TokenRelay() {
        @Override
        public void publish(LiveToken token) {}

        @Override
        public void subscribe(Consumer<LiveToken> handler) {}

        @Override
        public void close() {}
    };

    /** Sends a token of a step executing on this node to the other nodes. */
    void publish(LiveToken token);

    /**
     * Returns once the tokens published so far were sent (or after a short wait), so they reach other nodes before what
     * follows.
     */
    default void flush() {}

    /** Calls {@code handler} with every token other nodes publish. */
    void subscribe(Consumer<LiveToken> handler);

    @Override
    void close();
}
