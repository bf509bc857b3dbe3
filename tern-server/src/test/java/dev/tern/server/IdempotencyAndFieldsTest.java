package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Over real HTTP on both stores: an idempotency key reused with a different request is a 409 saying what differs, a
 * true retry gets the original run (200, not 201); unknown top-level fields of scheduling, schedule, event and answer
 * bodies are 400s naming each field.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class IdempotencyAndFieldsTest {
    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config(), null, 1 << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Test
    void aRetryUnderTheSameKeyGetsTheOriginalRunWith200() {
        TestServer.Response first = server.send(
                "POST",
                "/v1/runs",
                "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}",
                null,
                "Idempotency-Key",
                "order-1");
        assertThat(first.status()).isEqualTo(201);
        String runId = first.body().get("runId").asText();
        // the same JSON value, spelt differently
        TestServer.Response retry = server.send(
                "POST",
                "/v1/runs",
                "{\"input\": {\"seconds\": 1.0}, \"name\": \"sleepy\"}",
                null,
                "Idempotency-Key",
                "order-1");
        assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
        assertThat(retry.body().get("runId").asText()).isEqualTo(runId);
        TestServer.Response viaBody = server.post(
                "/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}, \"idempotencyKey\": \"order-1\"}");
        assertThat(viaBody.status()).isEqualTo(200);
        assertThat(viaBody.body().get("runId").asText()).isEqualTo(runId);
        TestServer.Response restack =
                server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": 1}, \"idempotencyKey\": \"order-1\"}");
        assertThat(restack.status()).isEqualTo(200);
        assertThat(restack.body().get("runId").asText()).isEqualTo(runId);
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .hasSize(1);
    }

    @Test
    void aDifferentInputUnderTheSameKeyIs409NamingTheKeyAndTheInput() {
        String runId = server.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"idempotencyKey\": \"order-2\"}")
                .body()
                .get("runId")
                .asText();
        List<TestServer.Response> conflicts = List.of(
                server.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Bo\"}, \"idempotencyKey\": \"order-2\"}"),
                server.send(
                        "POST",
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Bo\"}}",
                        null,
                        "Idempotency-Key",
                        "order-2"),
                server.post(
                        "/api/workflows/hello", "{\"input\": {\"name\": \"Bo\"}, \"idempotencyKey\": \"order-2\"}"));
        for (TestServer.Response r : conflicts) {
            JsonNode p = assertConflict(r, runId, "order-2");
            assertThat(p.get("detail").asText()).contains("different input");
            assertThat(p.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("$.input");
        }
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .hasSize(1);
    }

    @Test
    void anotherWorkflowUnderTheSameKeyIs409NamingTheName() {
        String runId = server.send(
                        "POST",
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}",
                        null,
                        "Idempotency-Key",
                        "order-3")
                .body()
                .get("runId")
                .asText();
        JsonNode p = assertConflict(
                server.send(
                        "POST",
                        "/v1/runs",
                        "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}",
                        null,
                        "Idempotency-Key",
                        "order-3"),
                runId,
                "order-3");
        assertThat(p.get("detail").asText()).contains("of 'hello', not of 'sleepy'");
        assertThat(p.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("$.name");
        assertConflict(
                server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": 1}, \"idempotencyKey\": \"order-3\"}"),
                runId,
                "order-3");
    }

    @Test
    void unknownFieldsOfASchedulingBodyAre400sNamingEach() {
        JsonNode typo = assertProblem(
                server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}, \"timeoutSecond\": 5}"),
                400);
        assertThat(typo.get("detail").asText())
                .startsWith(
                        "$.timeoutSecond: unknown field; known fields are name, input, resourceType, idempotencyKey")
                .contains("timeoutSeconds")
                .contains("onBudgetExceeded");
        assertThat(typo.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("$.timeoutSecond");
        JsonNode two = assertProblem(
                server.post("/api/agents/chat", "{\"input\": {}, \"deadline\": \"x\", \"webhook\": \"y\"}"), 400);
        assertThat(two.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("$.deadline", "$.webhook");
        assertThat(two.get("detail").asText())
                .contains("$.deadline")
                .contains("$.webhook")
                .contains("known fields are input, idempotencyKey");
        JsonNode restackName = assertProblem(
                server.post("/api/workflows/hello", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}"), 400);
        assertThat(restackName.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.name");
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
        // every documented field is known
        TestServer.Response all = server.post(
                "/v1/runs",
                "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}, \"idempotencyKey\": \"k-1\", "
                        + "\"timeoutSeconds\": 60, \"threadId\": \"t-1\", \"webhookUrl\": null, \"maxCostUsd\": 1, "
                        + "\"maxTokens\": 100, \"onBudgetExceeded\": \"fail\"}");
        assertThat(all.status()).as(all.raw()).isEqualTo(201);
        assertThat(server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": 1}, \"deadlineAt\": null}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void unknownFieldsOfScheduleEventAndAnswerBodiesAre400s() throws Exception {
        JsonNode schedule = assertProblem(
                server.post(
                        "/v1/schedules",
                        "{\"workflow\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"intervalSecond\": 60}"),
                400);
        assertThat(schedule.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.intervalSecond");
        assertThat(schedule.get("detail").asText())
                .contains("known fields are scheduleId, workflow, input, cron, intervalSeconds");
        assertThat(server.get("/v1/schedules").body().get("schedules")).isEmpty();

        String chat = server.post("/api/agents/chat", "{}").body().get("runId").asText();
        JsonNode restackEvent =
                assertProblem(server.put("/api/agents/chat/" + chat, "{\"eventName\": \"end\", \"input\": {}}"), 400);
        assertThat(restackEvent.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.input");
        assertThat(restackEvent.get("detail").asText()).contains("known fields are eventName, eventInput");
        JsonNode nativeEvent = assertProblem(
                server.post("/v1/runs/" + chat + "/events", "{\"eventName\": \"end\", \"payload\": {}}"), 400);
        assertThat(nativeEvent.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.payload");
        assertThat(server.engine().history(chat, 0, 1000))
                .noneMatch(e -> e.type().name().contains("EVENT"));

        String approval = server.post("/v1/runs", "{\"name\": \"approval\"}")
                .body()
                .get("runId")
                .asText();
        String question = awaitQuestion(approval);
        JsonNode answer = assertProblem(
                server.post(
                        "/v1/runs/" + approval + "/interactions/" + question,
                        "{\"answer\": {\"approved\": true}, \"comment\": \"ship it\"}"),
                400);
        assertThat(answer.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.comment");
        assertThat(answer.get("detail").asText()).contains("known fields are answer");
        assertThat(server.get("/v1/runs/" + approval + "/interactions")
                        .body()
                        .get("interactions")
                        .get(0)
                        .get("status")
                        .asText())
                .isEqualTo("open");
    }

    private static JsonNode assertConflict(TestServer.Response r, String runId, String key) {
        JsonNode p = assertProblem(r, 409);
        assertThat(p.get("type").asText()).endsWith("/idempotency-conflict");
        assertThat(p.get("detail").asText()).contains("'" + key + "'").contains(runId);
        assertThat(p.get("instance").asText()).startsWith("/");
        return p;
    }

    private String awaitQuestion(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list =
                    server.get("/v1/runs/" + runId + "/interactions").body().get("interactions");
            if (!list.isEmpty()) return list.get(0).get("interactionId").asText();
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " asked no question");
    }
}
