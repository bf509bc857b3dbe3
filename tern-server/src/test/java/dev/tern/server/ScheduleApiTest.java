package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v1/schedules} over real HTTP on SQLite and PostgreSQL; every body is checked against /openapi.json. */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class ScheduleApiTest {
    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;
    JsonNode openApi;

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config(), null, 1024 * 1024);
        openApi = server.get("/openapi.json").body();
    }

    @AfterEach
    void stop() {
        server.close();
        if (db != null) db.close();
    }

    void assertValid(String component, JsonNode body) {
        JsonSchema schema = SpecSchemas.component(openApi, component);
        assertThat(SpecSchemas.errors(schema, body))
                .as("%s errors in %s", component, body)
                .isEmpty();
    }

    JsonNode create(String body) {
        TestServer.Response r = server.post("/v1/schedules", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertValid("Schedule", r.body());
        return r.body();
    }

    JsonNode ok(TestServer.Response r, String component) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertValid(component, r.body());
        return r.body();
    }

    @Test
    void createFireListPauseResumeDelete() throws Exception {
        Instant before = Instant.now();
        JsonNode created =
                create("{\"scheduleId\": \"greeter\", \"workflow\": \"hello\", \"input\": {\"name\": \"Ada\"}, "
                        + "\"intervalSeconds\": 1}");
        assertThat(created.get("scheduleId").asText()).isEqualTo("greeter");
        assertThat(created.get("intervalSeconds").asInt()).isEqualTo(1);
        assertThat(created.get("timezone").asText()).isEqualTo("UTC");
        assertThat(created.get("paused").asBoolean()).isFalse();
        assertThat(Instant.parse(created.get("nextFireAt").asText()))
                .isAfter(before)
                .isBefore(before.plusSeconds(3));
        assertThat(created.has("lastRunId")).isFalse();

        JsonNode list = ok(server.get("/v1/schedules"), "ScheduleList");
        assertThat(list.get("schedules"))
                .extracting(s -> s.get("scheduleId").asText())
                .containsExactly("greeter");

        await().atMost(Duration.ofSeconds(15))
                .until(() -> server.get("/v1/schedules/greeter")
                                .body()
                                .get("fireCount")
                                .asInt()
                        >= 2);
        JsonNode runs = ok(server.get("/v1/schedules/greeter/runs?limit=10"), "RunPage");
        for (JsonNode run : runs.get("runs")) {
            assertThat(run.get("name").asText()).isEqualTo("hello");
            assertThat(run.get("idempotencyKey").asText()).matches("sched:greeter:\\d+");
            assertThat(run.get("input").get("name").asText()).isEqualTo("Ada");
        }
        JsonNode done = server.awaitRun(runs.get("runs").get(0).get("runId").asText(), Duration.ofSeconds(20));
        assertThat(done.get("output").get("message").asText()).isEqualTo("Hello, Ada!");

        JsonNode fired = ok(server.get("/v1/schedules/greeter"), "Schedule");
        assertThat(fired.get("lastRunId").asText()).startsWith("run_");
        assertThat(fired.get("fireCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Instant.parse(fired.get("lastFireAt").asText()))
                .isBefore(Instant.parse(fired.get("nextFireAt").asText()));

        JsonNode paused = ok(server.post("/v1/schedules/greeter/pause", null), "Schedule");
        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(ok(server.get("/v1/schedules/greeter"), "Schedule")
                        .get("paused")
                        .asBoolean())
                .isTrue();
        JsonNode resumed = ok(server.post("/v1/schedules/greeter/resume", null), "Schedule");
        assertThat(resumed.get("paused").asBoolean()).isFalse();

        TestServer.Response deleted = server.send("DELETE", "/v1/schedules/greeter", null, null);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
        for (TestServer.Response r : new TestServer.Response[] {
            server.get("/v1/schedules/greeter"),
            server.send("DELETE", "/v1/schedules/greeter", null, null),
            server.post("/v1/schedules/greeter/pause", null),
            server.post("/v1/schedules/greeter/resume", null),
            server.get("/v1/schedules/greeter/runs")
        }) {
            assertValid("Problem", assertProblem(r, 404));
        }
        assertThat(ok(server.get("/v1/schedules"), "ScheduleList").get("schedules"))
                .isEmpty();
        assertThat(server.get("/v1/runs?name=hello").body().get("runs").size())
                .as("runs outlive their schedule")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void cronScheduleInATimeZoneCreatedPaused() {
        JsonNode s = create(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"Bo\"}, \"cron\": \"30 8 * * 1-5\", \"timezone\": "
                        + "\"America/New_York\", "
                        + "\"paused\": true}");
        assertThat(s.get("scheduleId").asText()).startsWith("sch_");
        assertThat(s.get("cron").asText()).isEqualTo("30 8 * * 1-5");
        assertThat(s.has("intervalSeconds")).isFalse();
        assertThat(s.get("paused").asBoolean()).isTrue();
        var next = Instant.parse(s.get("nextFireAt").asText()).atZone(ZoneId.of("America/New_York"));
        assertThat(next.getHour()).isEqualTo(8);
        assertThat(next.getMinute()).isEqualTo(30);
        assertThat(next.getDayOfWeek().getValue()).isBetween(1, 5);
    }

    @Test
    void badRequestsNameTheField() {
        assertThat(badField(
                        "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"cron\": \"61 * * * *\"}", "$.cron"))
                .startsWith("invalid cron expression: ");
        assertThat(badField(
                        "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"cron\": \"every monday\"}",
                        "$.cron"))
                .startsWith("invalid cron expression: ");
        assertThat(badField(
                        "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"cron\": \"* * * * *\", "
                                + "\"intervalSeconds\": 5}",
                        "$.cron"))
                .contains("not both");
        assertThat(badField("{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}}", "$.cron"))
                .contains("required");
        assertThat(badField(
                        "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"cron\": \"* * * * *\", "
                                + "\"timezone\": \"Mars/Olympus\"}",
                        "$.timezone"))
                .contains("Mars/Olympus");
        badField(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"intervalSeconds\": 0}", "$.intervalSeconds");
        badField(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"intervalSeconds\": 1.5}",
                "$.intervalSeconds");
        badField(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"intervalSeconds\": \"60\"}",
                "$.intervalSeconds");
        badField(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"intervalSeconds\": 999999999999}",
                "$.intervalSeconds");
        badField("{\"workflow\": \"hello\", \"input\": {\"name\": 5}, \"intervalSeconds\": 60}", "$.input.name");
        badField("{\"input\": {\"name\": \"x\"}, \"intervalSeconds\": 60}", "$.workflow");
        badField(
                "{\"scheduleId\": \"has space\", \"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, "
                        + "\"intervalSeconds\": 60}",
                "$.scheduleId");
        badField(
                "{\"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, \"intervalSeconds\": 60, \"paused\": \"yes\"}",
                "$.paused");
        assertValid("Problem", assertProblem(server.post("/v1/schedules", "{\"workflow\": "), 400));
        assertValid(
                "Problem",
                assertProblem(server.post("/v1/schedules", "{\"workflow\": \"nope\", \"intervalSeconds\": 60}"), 404));
        assertValid(
                "Problem",
                assertProblem(server.post("/v1/schedules", "{\"workflow\": \"echo\", \"intervalSeconds\": 60}"), 404));

        create("{\"scheduleId\": \"once\", \"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, "
                + "\"intervalSeconds\": 3600}");
        JsonNode conflict = assertProblem(
                server.post(
                        "/v1/schedules",
                        "{\"scheduleId\": \"once\", \"workflow\": \"hello\", \"input\": {\"name\": \"y\"}, "
                                + "\"intervalSeconds\": 60}"),
                409);
        assertValid("Problem", conflict);
        assertThat(conflict.get("detail").asText()).contains("'once' already exists");
        assertThat(server.get("/v1/schedules/once")
                        .body()
                        .get("intervalSeconds")
                        .asInt())
                .isEqualTo(3600);
        assertValid("Problem", assertProblem(server.get("/v1/schedules/once/runs?limit=0"), 400));
    }

    String badField(String body, String field) {
        JsonNode problem = assertProblem(server.post("/v1/schedules", body), 400);
        assertValid("Problem", problem);
        assertThat(problem.get("errors")).as(problem.toString()).isNotEmpty();
        JsonNode first = problem.get("errors").get(0);
        assertThat(first.get("field").asText()).as(problem.toString()).isEqualTo(field);
        return first.get("message").asText();
    }
}
