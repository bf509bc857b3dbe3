package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process with SIGKILL while runs are in flight, restarts it on the same data directory, and checks
 * that every acknowledged run completes with the right output and that no step completed before the kill ran again.
 */
class CrashRecoveryTest {
    record Scheduled(String runId, String workflow, int param) {}

    record DoneStep(String runId, int seq, long completedAt, int runAttempt) {}

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAcknowledgedRunCompletesAfterSigkillWithoutRepeatingCompletedSteps() throws Exception {
        List<Scheduled> acknowledged = new CopyOnWriteArrayList<>();
        try (ServerProcess first = ServerProcess.start(dataDir, Map.of())) {
            for (int i = 0; i < 8; i++) {
                acknowledged.add(schedule(first, "hello", i));
                acknowledged.add(schedule(first, "flaky", 2));
                acknowledged.add(schedule(first, "sleepy", 1 + i % 3));
            }
            AtomicBoolean killed = new AtomicBoolean();
            Thread load = Thread.ofVirtual().start(() -> {
                for (int i = 100; !killed.get(); i++) {
                    try {
                        // greetAll's children start on this node as it creates them, and are killed with it
                        String workflow = i % 3 == 0 ? "hello" : i % 3 == 1 ? "flaky" : "greetAll";
                        acknowledged.add(schedule(first, workflow, workflow.equals("flaky") ? 1 : i));
                    } catch (Exception e) {
                        return; // the server died under this request: it was never acknowledged
                    }
                }
            });
            Thread.sleep(400);
            first.kill();
            killed.set(true);
            load.join();
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(24);
        List<DoneStep> doneBeforeKill = completedSteps();
        assertThat(doneBeforeKill)
                .as("some steps had completed before the kill")
                .isNotEmpty();

        try (ServerProcess second = ServerProcess.start(dataDir, Map.of())) {
            Map<String, JsonNode> finished = new HashMap<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (finished.size() < acknowledged.size() && System.currentTimeMillis() < deadline) {
                for (Scheduled s : acknowledged) {
                    if (finished.containsKey(s.runId())) continue;
                    JsonNode run = get(second, "/v1/runs/" + s.runId());
                    if (List.of("completed", "failed", "cancelled")
                            .contains(run.get("status").asText())) finished.put(s.runId(), run);
                }
                Thread.sleep(100);
            }
            assertThat(finished)
                    .as("runs finished after restart; server log:\n%s", second.output())
                    .hasSize(acknowledged.size());

            int resumed = 0;
            for (Scheduled s : acknowledged) {
                JsonNode run = finished.get(s.runId());
                assertThat(run.get("status").asText()).as("run %s", run).isEqualTo("completed");
                JsonNode output = run.get("output");
                switch (s.workflow()) {
                    case "hello" -> assertThat(output.get("message").asText()).isEqualTo("Hello, n" + s.param() + "!");
                    case "flaky" -> assertThat(output.get("attempts").asInt()).isEqualTo(s.param() + 1);
                    case "sleepy" ->
                        assertThat(output.get("sleptSeconds").asInt()).isEqualTo(s.param());
                    case "greetAll" ->
                        assertThat(output.get("messages").toString())
                                .isEqualTo(
                                        "[\"Hello, a%1$d!\",\"Hello, b%1$d!\",\"Hello, c%1$d!\"]".formatted(s.param()));
                    default -> throw new AssertionError(s.workflow());
                }
                JsonNode attempts = run.get("attempts");
                assertThat(attempts)
                        .as("attempts of %s", run)
                        .hasSize(run.get("attempt").asInt());
                assertThat(attempts.get(attempts.size() - 1).get("outcome").asText())
                        .isEqualTo("completed");
                if (run.get("attempt").asInt() > 1) {
                    resumed++;
                    // the interrupted first attempt, whether or not its row was written before the kill
                    JsonNode first = attempts.get(0);
                    assertThat(first.get("outcome").asText())
                            .as("first attempt of %s", run)
                            .isEqualTo("abandoned");
                    assertThat(first.path("nodeId").asText()).isNotEmpty();
                    assertThat(first.path("endedAt").asText()).isNotEmpty();
                }
            }
            System.out.printf(
                    "crash test: %d runs acknowledged, %d steps completed before the kill, %d runs resumed with a "
                            + "new attempt%n",
                    acknowledged.size(), doneBeforeKill.size(), resumed);
            assertThat(resumed)
                    .as("runs interrupted by the kill resumed with a new attempt")
                    .isPositive();

            for (DoneStep step : doneBeforeKill) {
                JsonNode history =
                        get(second, "/v1/runs/" + step.runId() + "/history").get("events");
                for (JsonNode e : history) {
                    boolean startedAgain = e.get("type").asText().equals("step_started")
                            && e.path("stepSeq").asInt(-1) == step.seq()
                            && e.get("attempt").asInt() > step.runAttempt();
                    assertThat(startedAgain)
                            .as("step %d of %s ran again after the kill: %s", step.seq(), step.runId(), e)
                            .isFalse();
                }
                JsonNode recorded =
                        get(second, "/v1/runs/" + step.runId()).get("steps").get(step.seq());
                assertThat(java.time.Instant.parse(recorded.get("completedAt").asText())
                                .toEpochMilli())
                        .isEqualTo(step.completedAt());
            }
        }
    }

    private List<DoneStep> completedSteps() throws Exception {
        List<DoneStep> steps = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tern.db"));
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT run_id, seq, completed_at, run_attempt FROM steps WHERE status = 'completed' "
                                        + "AND kind = 'function'")) {
            while (rs.next()) steps.add(new DoneStep(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getInt(4)));
        }
        return steps;
    }

    private Scheduled schedule(ServerProcess server, String workflow, int param) throws Exception {
        String input = switch (workflow) {
            case "hello" -> "{\"name\": \"n" + param + "\"}";
            case "flaky" -> "{\"failures\": " + param + "}";
            case "greetAll" -> "{\"names\": [\"a" + param + "\", \"b" + param + "\", \"c" + param + "\"]}";
            default -> "{\"seconds\": " + param + "}";
        };
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/workflows/" + workflow))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": " + input + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Scheduled(Json.MAPPER.readTree(r.body()).get("runId").asText(), workflow, param);
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
