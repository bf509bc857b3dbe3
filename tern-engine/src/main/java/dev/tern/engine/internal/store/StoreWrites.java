package dev.tern.engine.internal.store;

/**
 * What differs between the two databases on the write path, chosen once by {@link StoreFactory}: the implementations of
 * {@link RunWrites} and {@link HistoryWrites}, and the {@link Dialect}'s locking clauses and migrations. Everything
 * else writes the same way on both.
 */
record StoreWrites(Dialect dialect, RunWrites runs, HistoryWrites history) {}
