package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and schema-violating bodies, unknown routes, huge payloads: 4xx problem details, never a 500. */
class BadInputTest {
    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null, 64 * 1024);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedJsonIs400() {
        JsonNode p = assertProblem(server.post("/api/workflows/hello", "{\"input\": "), 400);
        assertThat(p.get("type").asText()).endsWith("/malformed-json");
        assertProblem(server.post("/api/workflows/hello", "{\"input\": {}} trailing"), 400);
        assertProblem(server.post("/api/workflows/hello", "[1, 2]"), 400);
        assertProblem(server.put("/api/agents/chat/run_x", "nope"), 404);
    }

    @Test
    void inputBreakingTheSchemaIs400NamingTheFields() {
        JsonNode p = assertProblem(server.post("/api/workflows/hello", "{\"input\": {\"nam\": \"Ada\"}}"), 400);
        assertThat(p.get("errors")).extracting(e -> e.get("field").asText()).contains("$.name", "$.nam");
        JsonNode wrongType =
                assertProblem(server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": \"ten\"}}"), 400);
        assertThat(wrongType.get("errors").get(0).get("field").asText()).isEqualTo("$.seconds");
        JsonNode notObject = assertProblem(server.post("/api/workflows/hello", "{\"input\": \"Ada\"}"), 400);
        assertThat(notObject.get("errors").get(0).get("field").asText()).isEqualTo("$.input");
        assertProblem(server.post("/v1/runs", "{\"input\": {}}"), 400);
        assertThat(server.engine()
                        .runs(new dev.tern.engine.RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void badEventsAre400() {
        String chat = server.post("/api/agents/chat", "{}").body().get("runId").asText();
        JsonNode missing = assertProblem(server.put("/api/agents/chat/" + chat, "{\"eventInput\": {}}"), 400);
        assertThat(missing.get("errors").get(0).get("field").asText()).isEqualTo("$.eventName");
        JsonNode unknown = assertProblem(server.put("/api/agents/chat/" + chat, "{\"eventName\": \"dance\"}"), 400);
        assertThat(unknown.get("errors").get(0).get("field").asText()).isEqualTo("$.eventName");
        JsonNode badInput = assertProblem(
                server.put(
                        "/api/agents/chat/" + chat, "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": 3}}"),
                400);
        assertThat(badInput.get("errors").get(0).get("field").asText()).isEqualTo("$.eventInput.messages");
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String huge = "{\"input\": {\"name\": \"" + "x".repeat(70 * 1024) + "\"}}";
        JsonNode p = assertProblem(server.post("/api/workflows/hello", huge), 413);
        assertThat(p.get("type").asText()).endsWith("/payload-too-large");
        assertThat(server.engine()
                        .runs(new dev.tern.engine.RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void badQueryParametersAre400() {
        assertThat(assertProblem(server.get("/v1/runs?status=sleeping"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("status");
        assertThat(assertProblem(server.get("/v1/runs?limit=0"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("limit");
        assertThat(assertProblem(server.get("/v1/runs?limit=abc"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("limit");
        assertThat(assertProblem(server.get("/v1/runs?kind=robot"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("kind");
        assertThat(assertProblem(server.get("/v1/runs?cursor=bm9jb2xvbg"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("cursor");
        assertThat(assertProblem(server.get("/v1/runs?cursor=***"), 400)
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("cursor");
        assertProblem(server.get("/v1/runs/run_nothere/history?after=-1"), 404);
    }

    @Test
    void unknownRoutesAndRunsAre404Problems() {
        assertProblem(server.get("/nothing/here"), 404);
        assertProblem(server.get("/v1/runs/run_missing"), 404);
        assertProblem(server.post("/v1/runs/run_missing/cancel", null), 404);
        assertProblem(server.post("/v1/runs/run_missing/events", "{\"eventName\": \"x\"}"), 404);
    }
}
