package dev.tern.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The stores the bench can measure, by their command-line id, with the label printed in the table. */
enum StoreKind {
  SQLITE_FSYNC("sqlite-fsync", "sqlite fsync", 1),
  SQLITE_NOFSYNC("sqlite-nofsync", "sqlite no-fsync", 1),
  PG_1NODE("pg-1node", "pg 1 node", 1),
  PG_2NODES("pg-2nodes", "pg 2 nodes", 2);

  private final String id;
  private final String label;
  private final int nodes;

  StoreKind(String id, String label, int nodes) {
    this.id = id;
    this.label = label;
    this.nodes = nodes;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  /** How many engines share the store. */
  int nodes() {
    return nodes;
  }

  boolean postgres() {
    return this == PG_1NODE || this == PG_2NODES;
  }

  /** SQLite only: fsync on every commit. */
  boolean fsync() {
    return this == SQLITE_FSYNC;
  }

  /** The kind with command-line id {@code id}, or null. */
  static StoreKind byId(String id) {
    for (StoreKind k : values()) {
      if (k.id.equals(id)) return k;
    }
    return null;
  }

  static String allIds() {
    return Arrays.stream(values()).map(StoreKind::id).collect(Collectors.joining(","));
  }
}
