package dev.tern.bench;

import java.util.Objects;

/** Opens a fresh contender of a system kind: its own SQLite directory, PostgreSQL schema or in-memory server. */
final class Contenders {
    static final int MAX_ACTIVE_RUNS = 10_000;

    private final BenchOptions options;
    private final PostgresDatabase postgres;

    /** {@code postgres} may be null when no pg system runs. */
    Contenders(BenchOptions options, PostgresDatabase postgres) {
        this.options = options;
        this.postgres = postgres;
    }

    Contender open(SystemKind kind) {
        return switch (kind) {
            case TERN_SQLITE -> new TernContender(SqliteSetup.open(options.dataDir(), true, MAX_ACTIVE_RUNS));
            case TERN_PG -> new TernContender(PostgresSetup.open(postgres(), 1, MAX_ACTIVE_RUNS));
            case TERN_PG_REST -> {
                TernContender engine = new TernContender(PostgresSetup.open(postgres(), 1, MAX_ACTIVE_RUNS));
                try {
                    yield new TernRestContender(engine);
                } catch (RuntimeException e) {
                    engine.close();
                    throw e;
                }
            }
            case DBOS -> DbosContender.open(postgres());
            case TEMPORAL -> new TemporalContender();
        };
    }

    PostgresDatabase postgres() {
        return Objects.requireNonNull(postgres, "no PostgreSQL database configured");
    }
}
