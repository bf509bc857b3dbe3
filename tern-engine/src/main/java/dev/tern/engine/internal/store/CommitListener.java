package dev.tern.engine.internal.store;

/** What a commit tells whoever measures the store: how long it took and how many writes it held. */
@FunctionalInterface
public interface CommitListener {
    void committed(long nanos, int writes);
}
