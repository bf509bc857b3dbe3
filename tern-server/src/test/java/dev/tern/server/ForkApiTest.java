package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/runs/{runId}/fork} over real HTTP: a fork from the middle, a new input, bad {@code fromStep}s and
 * models named in the problem, the CLI, and a counterfactual fork of an agent that asks another model from the model
 * call on without paying again for what came before.
 */
class ForkApiTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    FakeOpenAi model;
    TestServer server;

    @BeforeEach
    void start() {
        model = FakeOpenAi.start();
        server = TestServer.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withModel(new ModelEndpoint(model.baseUrl(), "sk-test", "gpt-test", 1.0, 2.0)),
                null,
                10L << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    String completedHello(String name) throws Exception {
        TestServer.Response r =
                server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"" + name + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String id = r.body().get("runId").asText();
        assertThat(server.awaitRun(id, WAIT).path("status").asText()).isEqualTo("completed");
        return id;
    }

    @Test
    void aForkFromTheMiddleTakesTheEarlierStepsAndRunsTheRest() throws Exception {
        String original = completedHello("Ada");
        TestServer.Response r = server.post("/v1/runs/" + original + "/fork", "{\"fromStep\": 1}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        JsonNode openApi = server.get("/openapi.json").body();
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "RunSummary"), r.body()))
                .isEmpty();
        assertThat(r.body().path("forkedFrom").path("runId").asText()).isEqualTo(original);
        assertThat(r.body().path("forkedFrom").path("step").asInt()).isEqualTo(1);
        String fork = r.body().get("runId").asText();
        JsonNode done = server.awaitRun(fork, WAIT);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output"))
                .isEqualTo(server.get("/v1/runs/" + original).body().path("output"));
        JsonNode history = server.get("/v1/runs/" + fork + "/history").body().path("events");
        JsonNode forked = StreamSupport.stream(history.spliterator(), false)
                .filter(e -> e.path("type").asText().equals("forked"))
                .findFirst()
                .orElseThrow();
        assertThat(forked.path("data").path("steps").toString()).isEqualTo("[0]");
        // the copied step did not start again in the fork: only the live one has a step_started event
        long started = StreamSupport.stream(history.spliterator(), false)
                .filter(e -> e.path("type").asText().equals("step_started"))
                .count();
        assertThat(started).isEqualTo(1);

        TestServer.Response retry = server.send(
                "POST", "/v1/runs/" + original + "/fork", "{\"fromStep\": 0}", null, "Idempotency-Key", "fork-1");
        assertThat(retry.status()).isEqualTo(201);
        TestServer.Response again = server.send(
                "POST", "/v1/runs/" + original + "/fork", "{\"fromStep\": 0}", null, "Idempotency-Key", "fork-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("runId")).isEqualTo(retry.body().get("runId"));
    }

    @Test
    void aForkWithANewInputIsValidatedAndUsesIt() throws Exception {
        String original = completedHello("Ada");
        TestServer.Response bad =
                server.post("/v1/runs/" + original + "/fork", "{\"fromStep\": 0, \"input\": {\"name\": 5}}");
        assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
        assertThat(bad.raw()).contains("name");
        TestServer.Response r =
                server.post("/v1/runs/" + original + "/fork", "{\"fromStep\": 0, \"input\": {\"name\": \"Grace\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        JsonNode done = server.awaitRun(r.body().get("runId").asText(), WAIT);
        assertThat(done.path("output").path("message").asText()).contains("Grace");
    }

    @Test
    void badFromStepsAndModelsAreProblemsNamingTheField() throws Exception {
        String original = completedHello("Ada");
        for (String body : List.of(
                "{}",
                "{\"fromStep\": \"two\"}",
                "{\"fromStep\": 1.5}",
                "{\"fromStep\": -1}",
                "{\"fromStep\": 99}",
                "{\"fromStep\": 12345678901}")) {
            TestServer.Response r = server.post("/v1/runs/" + original + "/fork", body);
            assertThat(r.status()).as(body + " → " + r.raw()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.raw()).as(body).contains("fromStep");
        }
        for (String model : List.of("\"gpt\"", "{\"temperature\": 7}", "{\"maxOutputTokens\": 0}", "{\"top\": 1}")) {
            TestServer.Response r =
                    server.post("/v1/runs/" + original + "/fork", "{\"fromStep\": 0, \"model\": " + model + "}");
            assertThat(r.status()).as(model + " → " + r.raw()).isEqualTo(400);
            assertThat(r.raw()).as(model).contains("model");
        }
        TestServer.Response unknownField = server.post("/v1/runs/" + original + "/fork", "{\"from\": 0}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(server.post("/v1/runs/run_0000000000000000000000/fork", "{\"fromStep\": 0}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aCounterfactualForkAsksAnotherModelFromTheModelCallOnWithoutPayingAgainForEarlierCalls() throws Exception {
        model.enqueue(
                FakeReply.text("first answer").withUsage(10, 5),
                FakeReply.text("second answer").withUsage(7, 3));
        TestServer.Response started = server.post("/api/agents/assistant", "{\"input\": {}}");
        String runId = started.body().get("runId").asText();
        say(runId, "hello");
        await().atMost(WAIT).until(() -> replies(runId) == 1);
        say(runId, "and again");
        await().atMost(WAIT).until(() -> replies(runId) == 2);
        assertThat(model.requestCount()).isEqualTo(2);

        // fork at the second model call, asking another model with other parameters
        int secondModelCall = StreamSupport.stream(
                        server.get("/v1/runs/" + runId).body().path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals("model"))
                .skip(1)
                .findFirst()
                .orElseThrow()
                .path("seq")
                .asInt();
        model.enqueue(FakeReply.text("another model's answer").withUsage(9, 4));
        TestServer.Response r = server.post(
                "/v1/runs/" + runId + "/fork",
                "{\"fromStep\": " + secondModelCall
                        + ", \"model\": {\"name\": \"other-model\", \"temperature\": 0.25, \"maxOutputTokens\": 64}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String fork = r.body().get("runId").asText();
        await().atMost(WAIT).until(() -> replies(fork) == 2);

        List<JsonNode> requests = model.requests();
        assertThat(requests).as("only the forked call was sent again").hasSize(3);
        JsonNode asked = requests.get(2);
        assertThat(asked.path("model").asText()).isEqualTo("other-model");
        assertThat(asked.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(asked.toString()).contains("64");
        JsonNode forkRun = server.get("/v1/runs/" + fork).body();
        List<String> replies = StreamSupport.stream(forkRun.path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals("reply"))
                .map(s -> s.path("output").toString())
                .toList();
        assertThat(String.join(" ", replies)).contains("first answer", "another model's answer");
        assertThat(String.join(" ", replies)).doesNotContain("second answer");
    }

    void say(String runId, String text) {
        TestServer.Response r = server.put(
                "/api/agents/assistant/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": \""
                        + text + "\"}]}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    long replies(String runId) {
        return StreamSupport.stream(
                        server.get("/v1/runs/" + runId).body().path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals("reply")
                        && s.path("status").asText().equals("completed"))
                .count();
    }
}
