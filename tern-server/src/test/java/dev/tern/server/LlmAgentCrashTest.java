package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import dev.tern.testkit.model.FakeReply.ToolCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a real server while the second model call of an agent's turn is streaming, restarts it on the same data, and
 * checks the turn completes: the first model call and the tool were made exactly once, the interrupted call was made
 * again as the step's attempt 2, and the history says so.
 */
class LlmAgentCrashTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aModelCallInterruptedBySigkillIsMadeAgainAndNothingBeforeItIs() throws Exception {
        try (FakeOpenAi model = FakeOpenAi.start()) {
            Map<String, String> env = Map.of(
                    "OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-crash", "TERN_LLM_MODEL", "gpt-test");
            CountDownLatch never = new CountDownLatch(1);
            model.enqueue(
                    FakeReply.toolCalls(new ToolCall("c1", "calculate", "{\"expression\": \"6*7\"}")),
                    FakeReply.text("six times seven is forty two").holdAfterChunks(2, never),
                    FakeReply.text("It is 42."));
            String runId;
            try (ServerProcess first = ServerProcess.start(dataDir, env)) {
                runId = send(first, "POST", "/api/agents/assistant", "{\"input\": {}}")
                        .get("runId")
                        .asText();
                send(
                        first,
                        "PUT",
                        "/api/agents/assistant/" + runId,
                        "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", "
                                + "\"content\": \"6*7?\"}]}}");
                model.awaitRequests(2, WAIT);
                Thread.sleep(
                        200); // the second call is streaming (held after two tokens): its step_started event is durable
                // by now
                first.kill();
            }
            try (ServerProcess second = ServerProcess.start(dataDir, env)) {
                JsonNode run = awaitStep(second, runId, "reply");
                assertThat(model.requestCount()).isEqualTo(3);
                List<JsonNode> requests = model.requests();
                long firstCalls = requests.stream()
                        .filter(r -> roles(r).stream().noneMatch("tool"::equals))
                        .count();
                assertThat(firstCalls)
                        .as("the first model call was made exactly once")
                        .isEqualTo(1);
                assertThat(roles(requests.get(2))).containsExactlyElementsOf(roles(requests.get(1)));

                List<JsonNode> models = steps(run, "model");
                assertThat(models).hasSize(2);
                assertThat(models.get(0).path("attempts").asInt()).isEqualTo(1);
                assertThat(models.get(1).path("attempts").asInt())
                        .as("the interrupted call is the step's attempt 2")
                        .isEqualTo(2);
                assertThat(models.get(1).path("runAttempt").asInt()).isEqualTo(2);
                assertThat(steps(run, "calculate")).hasSize(1);
                assertThat(steps(run, "reply").get(0).path("output").asText()).isEqualTo("It is 42.");

                int seq = models.get(1).path("seq").asInt();
                List<Integer> startedAttempts = new ArrayList<>();
                List<Integer> runAttempts = new ArrayList<>();
                for (JsonNode e : send(second, "GET", "/v1/runs/" + runId + "/history", null)
                        .path("events")) {
                    if (e.path("type").asText().equals("step_started")
                            && e.path("stepSeq").asInt(-1) == seq) {
                        startedAttempts.add(e.path("data").path("attempt").asInt());
                        runAttempts.add(e.path("attempt").asInt());
                    }
                }
                assertThat(startedAttempts).containsExactly(1, 2);
                assertThat(runAttempts).containsExactly(1, 2);
                assertThat(run.path("metrics").path("tool_call_count").asInt()).isEqualTo(1);
            }
        }
    }

    private static List<String> roles(JsonNode request) {
        return StreamSupport.stream(request.path("messages").spliterator(), false)
                .map(m -> m.path("role").asText())
                .toList();
    }

    private static List<JsonNode> steps(JsonNode run, String name) {
        return StreamSupport.stream(run.path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(name))
                .toList();
    }

    private JsonNode awaitStep(ServerProcess server, String runId, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode run;
        do {
            run = send(server, "GET", "/v1/runs/" + runId, null);
            if (steps(run, name).stream()
                    .anyMatch(s -> s.path("status").asText().equals("completed"))) return run;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(runId + " never completed a '" + name + "' step: " + run + "\n" + server.output());
    }

    private JsonNode send(ServerProcess server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r =
                http.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 201);
        return Json.MAPPER.readTree(r.body());
    }
}
