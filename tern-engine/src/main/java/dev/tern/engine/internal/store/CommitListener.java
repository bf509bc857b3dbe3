package dev.tern.engine.internal.store;

/** What a commit tells whoever measures the store: how long it took and how many writes it held. */
@FunctionalInterface
public interface CommitListener {
    void committed(long nanos, int writes);

    /**
     * The database aborted a transaction to break a deadlock (its writes are then tried again): another writer lane or
     * node held a row it needed while waiting for one it held.
     */
    default void deadlockBroken() {}
}
