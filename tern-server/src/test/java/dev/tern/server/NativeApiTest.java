package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.tern.server.http.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native /v1 API, each response validated against the server's own /openapi.json schemas. */
class NativeApiTest {
    @TempDir
    Path dir;

    TestServer server;
    JsonNode openApi;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
        openApi = server.get("/openapi.json").body();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void assertValid(String component, JsonNode body) {
        JsonSchema schema = SpecSchemas.component(openApi, component);
        assertThat(SpecSchemas.errors(schema, body))
                .as("%s errors in %s", component, body)
                .isEmpty();
    }

    String schedule(String name, String input) {
        TestServer.Response r = server.post("/v1/runs", "{\"name\": \"" + name + "\", \"input\": " + input + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertValid("RunSummary", r.body());
        return r.body().get("runId").asText();
    }

    @Test
    void theFullRunHasStepsWithTimingsAttemptsAndAContiguousHistory() throws Exception {
        String id = schedule("hello", "{\"name\": \"Grace\"}");
        JsonNode run = server.awaitRun(id, Duration.ofSeconds(20));
        assertValid("Run", run);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("output").get("message").asText()).isEqualTo("Hello, Grace!");
        assertThat(run.get("steps"))
                .extracting(s -> s.get("name").asText())
                .containsExactly("chooseSalutation", "formatGreeting");
        assertThat(run.get("steps").get(1).get("input").get("salutation").asText())
                .isEqualTo("Hello");
        assertThat(run.get("steps").get(0).has("durationMs")).isTrue();
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(run.get("attempts").get(0).get("outcome").asText()).isEqualTo("completed");

        JsonNode history = server.get("/v1/runs/" + id + "/history").body();
        assertValid("History", history);
        List<Long> sequences = new ArrayList<>();
        history.get("events").forEach(e -> sequences.add(e.get("eventSequence").asLong()));
        assertThat(sequences).first().isEqualTo(1L);
        for (int i = 1; i < sequences.size(); i++) assertThat(sequences.get(i)).isEqualTo(sequences.get(i - 1) + 1);
        assertThat(history.get("events"))
                .extracting(e -> e.get("type").asText())
                .startsWith("run_created", "attempt_started")
                .endsWith("run_completed");
        assertThat(run.get("eventSequence").asLong()).isEqualTo(sequences.get(sequences.size() - 1));

        JsonNode tail =
                server.get("/v1/runs/" + id + "/history?after=2&limit=2").body();
        assertThat(tail.get("events"))
                .extracting(e -> e.get("eventSequence").asLong())
                .containsExactly(3L, 4L);
    }

    @Test
    void theExportOfARunIsOneDocumentTheSchemaDescribes() throws Exception {
        String id = schedule("hello", "{\"name\": \"Ada\"}");
        server.awaitRun(id, Duration.ofSeconds(20));
        TestServer.Response r = server.get("/v1/runs/" + id + "/export");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode export = r.body();
        assertValid("RunExport", export);
        assertThat(export.get("format").asText()).isEqualTo("tern-run-export");
        assertThat(export.get("version").asInt()).isEqualTo(1);
        assertThat(export.get("definition").get("kind").asText()).isEqualTo("workflow");
        assertThat(export.get("definition").get("name").asText()).isEqualTo("hello");
        assertThat(export.get("run").get("status").asText()).isEqualTo("completed");
        assertThat(export.get("run").get("input").get("name").asText()).isEqualTo("Ada");
        assertThat(export.get("run").get("output").get("message").asText()).isEqualTo("Hello, Ada!");
        assertThat(export.get("steps"))
                .extracting(s -> s.get("name").asText())
                .containsExactly("chooseSalutation", "formatGreeting");
        assertThat(export.get("history").size())
                .isEqualTo(server.get("/v1/runs/" + id + "/history")
                        .body()
                        .get("events")
                        .size());

        assertValid("Problem", assertProblem(server.get("/v1/runs/run_doesnotexist/export"), 404));
        assertProblem(server.get("/v1/runs/not-a-run-id/export"), 404);
    }

    @Test
    void aLongPollAnswersWhenTheRunEndsOrTheWaitIsOver() {
        String quick = schedule("sleepy", "{\"seconds\": 1}");
        TestServer.Response ended = server.get("/v1/runs/" + quick + "?waitSeconds=30");
        assertThat(ended.status()).as(ended.raw()).isEqualTo(200);
        assertValid("Run", ended.body());
        assertThat(ended.body().get("status").asText()).isEqualTo("completed");
        TestServer.Response restack = server.get("/api/workflows/sleepy/" + quick + "?waitSeconds=30");
        assertThat(restack.body().get("status").asText()).isEqualTo("completed");
        String another = schedule("sleepy", "{\"seconds\": 1}");
        assertProblem(server.get("/api/workflows/hello/" + another + "?waitSeconds=30"), 404);
        assertProblem(server.get("/api/agents/sleepy/" + another + "?waitSeconds=30"), 404);
        TestServer.Response underItsName = server.get("/api/workflows/sleepy/" + another + "?waitSeconds=30");
        assertThat(underItsName.status()).as(underItsName.raw()).isEqualTo(200);
        assertThat(underItsName.body().get("status").asText()).isEqualTo("completed");

        String slow = schedule("sleepy", "{\"seconds\": 3600}");
        TestServer.Response waited = server.get("/v1/runs/" + slow + "?waitSeconds=1");
        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.body().get("status").asText()).isEqualTo("running");

        for (String bad : List.of("abc", "61", "-1")) {
            TestServer.Response r = server.get("/v1/runs/" + slow + "?waitSeconds=" + bad);
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("waitSeconds");
        }
        assertThat(server.get("/v1/runs/run_doesnotexist?waitSeconds=5").status())
                .isEqualTo(404);
    }

    @Test
    void aPostWithWaitSecondsSchedulesAndAnswersTheResultInOneRequest() {
        TestServer.Response done =
                server.post("/v1/runs?waitSeconds=30", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}");
        assertThat(done.status()).as(done.raw()).isEqualTo(201);
        assertValid("RunSummary", done.body());
        assertThat(done.body().get("status").asText()).isEqualTo("completed");
        assertThat(done.body().has("output")).isTrue();
        assertThat(done.body().get("completedAt").isTextual()).isTrue();

        TestServer.Response waited =
                server.post("/v1/runs?waitSeconds=1", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 3600}}");
        assertThat(waited.status()).as(waited.raw()).isEqualTo(201);
        assertThat(waited.body().get("status").asText()).isEqualTo("running");

        int before = server.get("/v1/runs?limit=200").body().get("runs").size();
        for (String bad : List.of("abc", "61", "-1")) {
            TestServer.Response r =
                    server.post("/v1/runs?waitSeconds=" + bad, "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}");
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("waitSeconds");
        }
        assertThat(server.get("/v1/runs?limit=200").body().get("runs").size())
                .as("a refused waitSeconds schedules nothing")
                .isEqualTo(before);
    }

    @Test
    void listsFiltersAndPagesWithoutGapsOrDuplicates() throws Exception {
        Set<String> hellos = new HashSet<>();
        for (int i = 0; i < 7; i++) hellos.add(schedule("hello", "{\"name\": \"n" + i + "\"}"));
        String sleepy = schedule("sleepy", "{\"seconds\": 3600}");

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = server.get("/v1/runs?name=hello&limit=3" + (cursor == null ? "" : "&cursor=" + cursor))
                    .body();
            assertValid("RunPage", page);
            page.get("runs")
                    .forEach(r -> assertThat(seen.add(r.get("runId").asText())).isTrue());
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(hellos);
        assertThat(pages).isEqualTo(3);

        for (String id : hellos) server.awaitRun(id, Duration.ofSeconds(20));
        JsonNode completed =
                server.get("/v1/runs?status=completed&kind=workflow&limit=100").body();
        assertThat(completed.get("runs"))
                .extracting(r -> r.get("runId").asText())
                .containsExactlyInAnyOrderElementsOf(hellos);
        JsonNode running = server.get("/v1/runs?status=running").body();
        assertThat(running.get("runs")).extracting(r -> r.get("runId").asText()).containsExactly(sleepy);
        assertThat(running.get("runs").get(0).get("waiting").get("suspended").asBoolean())
                .isTrue();
        assertThat(server.get("/v1/runs?kind=agent").body().get("runs")).isEmpty();
    }

    @Test
    void cancelAndEventsThroughTheNativeApi() throws Exception {
        String chat = schedule("chat", "{}");
        TestServer.Response sent = server.post(
                "/v1/runs/" + chat + "/events",
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"yo\"}]}}");
        assertThat(sent.status()).isEqualTo(200);
        assertValid("EventAccepted", sent.body());
        TestServer.Response cancelled = server.post("/v1/runs/" + chat + "/cancel", null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertValid("RunSummary", cancelled.body());
        JsonNode run = server.awaitRun(chat, Duration.ofSeconds(20));
        assertThat(run.get("status").asText()).isEqualTo("cancelled");
        assertProblem(server.post("/v1/runs/" + chat + "/events", "{\"eventName\": \"end\"}"), 409);
        assertThat(server.post("/v1/runs/" + chat + "/cancel", null)
                        .body()
                        .get("status")
                        .asText())
                .isEqualTo("cancelled");
    }

    @Test
    void definitionsCarryTheirJsonSchemas() {
        JsonNode defs = server.get("/v1/definitions").body();
        assertThat(defs.get("definitions"))
                .extracting(d -> d.get("kind").asText() + ":" + d.get("name").asText())
                .contains("workflow:hello", "workflow:flaky", "workflow:sleepy", "agent:chat", "function:chatReply");
        defs.get("definitions").forEach(d -> assertValid("Definition", d));
        JsonNode hello = find(defs, "hello");
        assertThat(hello.get("inputSchema").get("required"))
                .extracting(JsonNode::asText)
                .containsExactly("name");
        assertThat(hello.get("inputSchema")
                        .get("properties")
                        .get("name")
                        .get("type")
                        .asText())
                .isEqualTo("string");
        JsonNode chat = find(defs, "chat");
        assertThat(chat.get("events").has("messages")).isTrue();
        assertThat(chat.get("events").has("end")).isTrue();
    }

    @Test
    void openApiDescribesEveryRoute() {
        assertThat(openApi.get("openapi").asText()).startsWith("3.1");
        for (Route route : server.http().routes()) {
            assertThat(openApi.get("paths").has(route.path()))
                    .as("path %s documented", route.path())
                    .isTrue();
            assertThat(openApi.get("paths").get(route.path()).has(route.method()))
                    .as("%s %s documented", route.method(), route.path())
                    .isTrue();
        }
        assertThat(server.http().routes()).hasSizeGreaterThanOrEqualTo(15);
    }

    static JsonNode find(JsonNode defs, String name) {
        for (JsonNode d : defs.get("definitions")) if (d.get("name").asText().equals(name)) return d;
        throw new AssertionError("no definition " + name);
    }
}
