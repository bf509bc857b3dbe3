package dev.tern.engine.internal.store;

/** The few ways the SQL of the two stores differs. */
public enum Dialect {
  SQLITE("db/migration/sqlite", ""),
  POSTGRESQL("db/migration/postgresql", " FOR UPDATE SKIP LOCKED");

  private final String migrations;
  private final String claimLock;

  Dialect(String migrations, String claimLock) {
    this.migrations = migrations;
    this.claimLock = claimLock;
  }

  /** Classpath folder of this dialect's Flyway migrations. */
  public String migrations() {
    return migrations;
  }

  /** Appended to the claim query so concurrent claimers skip each other's rows. */
  public String claimLock() {
    return claimLock;
  }
}
