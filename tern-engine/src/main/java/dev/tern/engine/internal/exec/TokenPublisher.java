package dev.tern.engine.internal.exec;

/** Where the text steps stream while they execute goes (the engine's live watchers). */
@FunctionalInterface
public interface TokenPublisher {
    void publish(String runId, int stepSeq, int attempt, String text);

    /** Returns once what was published so far has reached every node's watchers (or after a short wait). */
    default void flush() {}
}
