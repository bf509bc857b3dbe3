package dev.tern.engine;

/**
 * Whether this node's store works: it answers reads, and its writes commit. {@code diskFull}
 * says the disk holding the database is full (free space; nothing else will help).
 */
public record StoreHealth(boolean healthy, boolean diskFull, String reason) {
  static final StoreHealth OK = new StoreHealth(true, false, null);
}
