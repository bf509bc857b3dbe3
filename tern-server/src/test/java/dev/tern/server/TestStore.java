package dev.tern.server;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import java.nio.file.Path;

/**
 * One of the two stores every API test runs on: an SQLite file in a temp directory, or a fresh PostgreSQL schema
 * dropped afterwards.
 */
final class TestStore implements AutoCloseable {
    private final EngineConfig config;
    private String schema;

    private TestStore(EngineConfig config, String schema) {
        this.config = config;
        this.schema = schema;
    }

    /** {@code kind} is {@code "sqlite"} (a file in {@code dir}) or {@code "postgresql"} (a new schema). */
    static TestStore of(String kind, Path dir) {
        return switch (kind) {
            case "sqlite" -> new TestStore(EngineConfig.embedded(dir).withFsync(false), null);
            case "postgresql" -> {
                String schema = PostgresTestDatabase.newSchema();
                yield new TestStore(EngineConfig.postgres(PostgresTestDatabase.url(schema)), schema);
            }
            default -> throw new IllegalArgumentException("no such test store: " + kind);
        };
    }

    /** The same store each time, so several nodes may share it. */
    EngineConfig config() {
        return config;
    }

    /** Drops the PostgreSQL schema, if any; closing again does nothing. */
    @Override
    public void close() {
        String s = schema;
        schema = null;
        if (s != null) PostgresTestDatabase.drop(s);
    }
}
