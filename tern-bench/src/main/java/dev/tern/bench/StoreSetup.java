package dev.tern.bench;

import java.util.Map;

/**
 * Fresh engines on a fresh store (a SQLite directory or a PostgreSQL schema); closing stops them and deletes the store.
 */
interface StoreSetup extends AutoCloseable {
    Nodes nodes();

    /** Attempts started so far per node id, if the store can tell cheaply; empty if not. */
    default Map<String, Long> attemptsPerNode() {
        return Map.of();
    }

    /** Finishes background work the engines left (see {@link Contender#settle()}); nothing by default. */
    default void settle() {}

    @Override
    void close();
}
