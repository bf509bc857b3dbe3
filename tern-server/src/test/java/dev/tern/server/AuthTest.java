package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer auth on every endpoint but /health and /health/ready when a token is set (RESTACK_API_BEARER_TOKEN: an admin
 * of org default); open when it is not, every request then an admin of org default.
 */
class AuthTest {
    @TempDir
    Path dir;

    @Test
    void withATokenEveryEndpointButHealthRequiresIt() {
        try (TestServer server = TestServer.start(dir, "s3cret-token")) {
            String[] paths = {
                "/v1/runs",
                "/v1/definitions",
                "/openapi.json",
                "/api/workflows/hello/run_abc",
                "/api/agents/chat/run_abc"
            };
            for (String path : paths) {
                TestServer.Response none = server.send("GET", path, null, null);
                assertProblem(none, 401);
                assertProblem(server.send("GET", path, null, "wrong"), 401);
                assertProblem(server.send("GET", path, null, "s3cret-token-longer"), 401);
            }
            assertProblem(server.send("POST", "/api/workflows/hello", "{\"input\": {\"name\": \"A\"}}", null), 401);
            assertProblem(server.send("PUT", "/api/agents/chat/run_abc", "{\"eventName\": \"end\"}", "nope"), 401);
            assertThat(server.engine()
                            .runs(new dev.tern.engine.RunQuery(null, null, null, 10, null))
                            .runs())
                    .isEmpty();

            assertThat(server.send("GET", "/health", null, null).status()).isEqualTo(200);
            assertThat(server.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
            assertThat(server.send("GET", "/health/ready", null, "wrong").status())
                    .isEqualTo(200);
            assertProblem(server.send("GET", "/health/ready/", null, null), 401);
            assertProblem(server.send("GET", "/health/other", null, null), 401);
            assertThat(server.send("GET", "/v1/runs", null, "s3cret-token").status())
                    .isEqualTo(200);
            assertThat(server.send("POST", "/api/workflows/hello", "{\"input\": {\"name\": \"A\"}}", "s3cret-token")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void theBearerTokenAloneIsAnAdminOfTheDefaultOrg() {
        try (TestServer server = TestServer.start(dir, "s3cret-token")) {
            String runId = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"A\"}}")
                    .body()
                    .get("runId")
                    .asText();
            assertThat(server.status("GET", "/metrics", "s3cret-token")).isEqualTo(200);
            assertThat(server.get("/v1/runs/" + runId + "/webhooks").status()).isEqualTo(200);
            assertThat(server.post("/v1/schedules", OrgRolesTest.schedule("env"))
                            .status())
                    .isEqualTo(201);
            JsonNode session = server.get("/console/session").body();
            assertThat(session.get("tokenAccepted").asBoolean()).isTrue();
            assertThat(session.get("org").asText()).isEqualTo("default");
            assertThat(session.get("role").asText()).isEqualTo("admin");
        }
    }

    @Test
    void withoutATokenNothingIsRequired() {
        try (TestServer server = TestServer.start(dir, null)) {
            assertThat(server.send("GET", "/v1/runs", null, null).status()).isEqualTo(200);
            assertThat(server.send("POST", "/api/workflows/hello", "{\"input\": {\"name\": \"A\"}}", null)
                            .status())
                    .isEqualTo(200);
            assertThat(server.status("GET", "/metrics", "anything")).isEqualTo(200);
            JsonNode session = server.get("/console/session").body();
            assertThat(session.get("tokenRequired").asBoolean()).isFalse();
            assertThat(session.get("tokenAccepted").asBoolean()).isTrue();
            assertThat(session.get("org").asText()).isEqualTo("default");
            assertThat(session.get("role").asText()).isEqualTo("admin");
        }
    }
}
