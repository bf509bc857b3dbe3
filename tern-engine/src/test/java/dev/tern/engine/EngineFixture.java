package dev.tern.engine;

import dev.tern.sdk.Definitions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts engines on the store under test (a SQLite file in the test's temp dir, or a fresh PostgreSQL schema), crashing
 * and restarting them on the same data; cleans up after.
 */
final class EngineFixture implements AutoCloseable {
    private final StoreKind kind;
    private final Path dataDir;
    private final String schema;
    private TernEngine engine;

    EngineFixture(StoreKind kind, Path dataDir) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.schema = kind == StoreKind.POSTGRESQL ? PostgresTestDatabase.newSchema() : null;
    }

    EngineConfig config() {
        EngineConfig base = kind == StoreKind.POSTGRESQL
                ? EngineConfig.postgres(PostgresTestDatabase.url(schema))
                : EngineConfig.embedded(dataDir);
        return base.withSuspendGrace(Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(100))
                .withFsync(false)
                .withLeaseDuration(Duration.ofSeconds(2));
    }

    String jdbcUrl() {
        return kind == StoreKind.POSTGRESQL
                ? PostgresTestDatabase.url(schema)
                : "jdbc:sqlite:" + dataDir.resolve("tern.db");
    }

    TernEngine start(Definitions definitions) {
        return start(definitions, config());
    }

    TernEngine start(Definitions definitions, EngineConfig config) {
        if (engine != null) engine.close();
        engine = TernEngine.start(config, definitions);
        return engine;
    }

    /** Stops the engine mid-flight: executions unwind without writing, as if the process died. */
    void crash() {
        engine.close();
        engine = null;
    }

    @Override
    public void close() {
        if (engine != null) engine.close();
        engine = null;
        if (schema != null) PostgresTestDatabase.drop(schema);
    }
}
