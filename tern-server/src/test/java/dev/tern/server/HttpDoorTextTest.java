package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunQuery;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client text a store cannot hold (U+0000, unpaired surrogates) and JSON nested past the door's limit, on both stores:
 * a 400 naming the field, never a 503 "store unavailable" or a run whose history can no longer be rendered.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class HttpDoorTextTest {
    static final int MAX_DEPTH = 100;

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config(), null, 10L << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    static void assertNamesField(TestServer.Response r, String field) {
        JsonNode p = assertProblem(r, 400);
        assertThat(p.get("errors")).as(r.raw()).isNotNull();
        assertThat(p.get("errors").get(0).get("field").asText()).as(r.raw()).isEqualTo(field);
    }

    String sleepingRun() {
        return server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 600}}")
                .body()
                .get("runId")
                .asText();
    }

    void assertStoreStillHealthy() {
        assertThat(server.get("/health").status()).isEqualTo(200);
    }

    @Test
    void nulInQueryParametersIs400NamingTheParameter() {
        assertNamesField(server.get("/v1/runs?name=%00"), "name");
        assertNamesField(server.get("/v1/runs?name=hel%00lo"), "name");
        assertNamesField(server.get("/v1/runs?threadId=t%00"), "threadId");
        assertNamesField(server.get("/v1/runs?parentRunId=%00"), "parentRunId");
        assertNamesField(server.get("/v1/threads/t1/runs?limit=5&name=%00"), "name");
        assertProblem(server.get("/v1/runs?na%00me=x"), 400);
        assertStoreStillHealthy();
    }

    @Test
    void nulInPathParametersIs400() {
        assertProblem(server.get("/v1/runs/run_%00"), 400);
        assertProblem(server.get("/v1/threads/t%00/runs"), 400);
        assertProblem(server.get("/v1/schedules/s%00"), 400);
        assertProblem(server.post("/api/workflows/hel%00lo", "{}"), 400);
        assertStoreStillHealthy();
    }

    @Test
    void nulInAHeaderIs400() throws Exception {
        String body = "{\"name\": \"hello\", \"input\": {\"name\": \"A\"}}";
        RawRequest.Answer a = RawRequest.send(
                server.http().port(),
                "POST /v1/runs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                        + "Idempotency-Key: k\u0000\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void nulOrAnUnpairedSurrogateAnywhereInABodyIs400NamingTheField() {
        String run = sleepingRun();
        String events = "/v1/runs/" + run + "/events";
        assertNamesField(server.post(events, "{\"eventName\": \"go\\u0000\"}"), "$.eventName");
        assertNamesField(
                server.post(events, "{\"eventName\": \"go\", \"eventInput\": {\"notes\": [\"ok\", \"a\\u0000b\"]}}"),
                "$.eventInput.notes[1]");
        assertNamesField(
                server.post(events, "{\"eventName\": \"go\", \"eventInput\": {\"a\": {\"k\\u0000\": 1}}}"),
                "$.eventInput.a");
        assertNamesField(
                server.post(events, "{\"eventName\": \"go\", \"eventInput\": {\"text\": \"\\ud800\"}}"),
                "$.eventInput.text");
        assertNamesField(server.post(events, "{\"eventName\": \"go\", \"x\\u0000\": 1}"), "$");
        assertNamesField(
                server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"A\\u0000\"}}"), "$.input.name");
        assertNamesField(
                server.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"A\"}, \"idempotencyKey\": \"\\u0000\"}"),
                "$.idempotencyKey");
        assertNamesField(server.post("/api/workflows/hello", "{\"input\": {\"name\": \"\\udc00A\"}}"), "$.input.name");
        String chat = server.post("/api/agents/chat", "{}").body().get("runId").asText();
        assertNamesField(server.put("/api/agents/chat/" + chat, "{\"eventName\": \"end\\u0000\"}"), "$.eventName");
        assertNamesField(
                server.post(
                        "/v1/schedules", "{\"workflow\": \"hello\\u0000\", \"intervalSeconds\": 60, \"input\": {}}"),
                "$.workflow");
        assertNamesField(
                server.post("/v1/runs/" + run + "/interactions/int_x", "{\"answer\": {\"comment\": \"\\u0000\"}}"),
                "$.answer.comment");
        assertThat(server.get("/v1/runs/" + run + "/history").raw()).doesNotContain("event_received");
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .hasSize(2);
        assertStoreStillHealthy();
        // a valid surrogate pair (an emoji) is fine
        assertThat(server.post(events, "{\"eventName\": \"go\", \"eventInput\": {\"text\": \"\\ud83d\\ude00\"}}")
                        .status())
                .isEqualTo(200);
    }

    static String nested(int levels) {
        return "{\"a\": ".repeat(levels) + "1" + "}".repeat(levels);
    }

    @Test
    void aBodyNestedPastTheLimitIs400AndTheHistoryStaysReadable() {
        String run = sleepingRun();
        String events = "/v1/runs/" + run + "/events";
        TestServer.Response deep = server.post(events, "{\"eventName\": \"go\", \"eventInput\": " + nested(998) + "}");
        assertNamesField(deep, "$.eventInput");
        assertThat(deep.body().get("detail").asText())
                .contains(String.valueOf(MAX_DEPTH))
                .doesNotContain("Constraints")
                .doesNotContain("Jackson");
        assertProblem(server.post(events, "{\"eventName\": \"go\", \"eventInput\": " + nested(MAX_DEPTH) + "}"), 400);
        assertProblem(
                server.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                400);

        // the deepest body accepted (the body is level 1) is stored, and renders in every view of the run
        assertThat(server.post(events, "{\"eventName\": \"go\", \"eventInput\": " + nested(MAX_DEPTH - 1) + "}")
                        .status())
                .isEqualTo(200);
        TestServer.Response history = server.get("/v1/runs/" + run + "/history");
        assertThat(history.status()).as(history.raw()).isEqualTo(200);
        assertThat(history.raw()).contains("event_received");
        assertThat(server.get("/v1/runs/" + run).status()).isEqualTo(200);
        assertThat(server.get("/v1/runs/" + run + "?view=agent-run").status()).isEqualTo(200);
        assertStoreStillHealthy();
    }
}
