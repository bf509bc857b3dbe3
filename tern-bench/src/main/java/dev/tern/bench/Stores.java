package dev.tern.bench;

import java.util.Objects;

/** Opens fresh instances of a store kind: engines to run the workloads on, and a scratch database for the raw-JDBC limit. */
final class Stores {
  private final BenchOptions options;
  private final PostgresDatabase postgres;

  /** {@code postgres} may be null when no pg store is run. */
  Stores(BenchOptions options, PostgresDatabase postgres) {
    this.options = options;
    this.postgres = postgres;
  }

  StoreSetup open(StoreKind kind) {
    return kind.postgres()
        ? PostgresSetup.open(postgres(), kind.nodes(), options.maxActiveRuns())
        : SqliteSetup.open(options.dataDir(), kind.fsync(), options.maxActiveRuns());
  }

  RawJdbcLimit rawLimit(StoreKind kind) {
    if (kind.postgres()) {
      PostgresDatabase database = postgres();
      return new RawJdbcLimit(() -> PostgresScratchSchema.open(database));
    }
    return new RawJdbcLimit(() -> SqliteScratchDatabase.open(options.dataDir(), kind.fsync()));
  }

  private PostgresDatabase postgres() {
    return Objects.requireNonNull(postgres, "no PostgreSQL database configured");
  }
}
