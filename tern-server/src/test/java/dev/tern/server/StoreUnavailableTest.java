package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fails under a running server (here: its PostgreSQL schema is dropped) is the engine's public
 * {@code StoreUnavailableException}, answered 503 {@code store-unavailable} (not {@code store-full}, not 500), and
 * health says the store is down without blaming the disk.
 */
class StoreUnavailableTest {
    final String schema = PostgresTestDatabase.newSchema();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void aFailingStoreIsServiceUnavailable() {
        server = TestServer.start(EngineConfig.postgres(PostgresTestDatabase.url(schema)), null, 1024 * 1024);
        assertThat(server.get("/v1/runs").status()).isEqualTo(200);

        PostgresTestDatabase.drop(schema);

        TestServer.Response runs = server.get("/v1/runs");
        assertThat(runs.status()).as(runs.raw()).isEqualTo(503);
        assertThat(runs.contentType()).startsWith("application/problem+json");
        assertThat(runs.body().get("type").asText()).isEqualTo("https://tern.dev/problems/store-unavailable");
        assertThat(runs.body().get("detail").asText()).doesNotContain("tern_test_");
        TestServer.Response health = server.get("/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body().get("status").asText()).isEqualTo("unhealthy");
        assertThat(health.body().get("diskFull").asBoolean()).isFalse();
    }
}
