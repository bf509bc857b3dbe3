package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fails under a running server (here: its PostgreSQL schema is dropped) is the engine's public
 * {@code StoreUnavailableException}, answered 503 {@code store-unavailable} (not {@code store-full}, not 500), and
 * health says the store is down without blaming the disk. Readiness ({@code /health/ready}) turns from 200 to a 503
 * problem carrying the store's state, each as the served document describes it.
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
        JsonNode openApi = server.get("/openapi.json").body();
        TestServer.Response ready = server.get("/health/ready");
        assertThat(ready.status()).as(ready.raw()).isEqualTo(200);
        assertThat(ready.contentType()).startsWith("application/json");
        assertThat(ready.body().get("status").asText()).isEqualTo("ready");
        assertThat(ready.body().get("store").get("healthy").asBoolean()).isTrue();
        assertThat(ready.body().get("store").has("reason")).isFalse();
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "Readiness"), ready.body()))
                .isEmpty();

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

        TestServer.Response notReady = server.get("/health/ready");
        assertThat(notReady.status()).as(notReady.raw()).isEqualTo(503);
        assertThat(notReady.contentType()).startsWith("application/problem+json");
        assertThat(notReady.body().get("type").asText()).isEqualTo("https://tern.dev/problems/store-unavailable");
        assertThat(notReady.body().get("instance").asText()).isEqualTo("/health/ready");
        assertThat(notReady.body().get("detail").asText())
                .startsWith("this node is not ready: ")
                .doesNotContain("tern_test_");
        JsonNode store = notReady.body().get("store");
        assertThat(store.get("healthy").asBoolean()).isFalse();
        assertThat(store.get("diskFull").asBoolean()).isFalse();
        assertThat(store.get("reason").asText())
                .isEqualTo(health.body().get("reason").asText());
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "ReadinessProblem"), notReady.body()))
                .isEmpty();
    }
}
