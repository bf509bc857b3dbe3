package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real node processes on one PostgreSQL schema; one is killed with SIGKILL mid-flight. Every run completes, the
 * dead node's runs finish elsewhere as a new attempt, and no completed step runs again.
 */
class FailoverTest {
    record Scheduled(String runId, int items, String via) {}

    record DoneStep(String runId, int seq, long completedAt, int runAttempt) {}

    final String schema = PostgresTestDatabase.newSchema();
    final String url = PostgresTestDatabase.url(schema);
    final HttpClient http = HttpClient.newHttpClient();
    final List<ServerProcess> nodes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess n : nodes) n.close();
        PostgresTestDatabase.drop(schema);
    }

    ServerProcess node(String id) throws Exception {
        ServerProcess p = ServerProcess.start(
                null, Map.of(), "--database-url", url, "--node-id", id, "--lease-seconds", "3", "--poll-ms", "200");
        nodes.add(p);
        return p;
    }

    @Test
    void runsOfAKilledNodeFinishOnOtherNodesWithoutRepeatingSteps() throws Exception {
        ServerProcess a = node("node-a");
        ServerProcess b = node("node-b");
        ServerProcess c = node("node-c");
        List<ServerProcess> all = List.of(a, b, c);
        List<Scheduled> runs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ServerProcess via = all.get(i % 3);
            int items = 3 + i % 4;
            runs.add(new Scheduled(
                    schedule(via, "{\"items\": " + items + ", \"pauseMillis\": " + (i % 2 == 0 ? 300 : 0) + "}"),
                    items,
                    via == a ? "node-a" : via == b ? "node-b" : "node-c"));
        }
        Thread.sleep(500);
        b.kill();
        List<DoneStep> doneBeforeKill = completedSteps();
        assertThat(doneBeforeKill).isNotEmpty();

        Map<String, JsonNode> finished = new HashMap<>();
        long deadline = System.currentTimeMillis() + 90_000;
        while (finished.size() < runs.size() && System.currentTimeMillis() < deadline) {
            for (Scheduled s : runs) {
                if (finished.containsKey(s.runId())) continue;
                JsonNode run = get(a, "/v1/runs/" + s.runId());
                if (List.of("completed", "failed", "cancelled")
                        .contains(run.get("status").asText())) finished.put(s.runId(), run);
            }
            Thread.sleep(200);
        }
        assertThat(finished).as("finished runs; node-a log:\n%s", a.output()).hasSize(runs.size());

        int takenOver = 0;
        for (Scheduled s : runs) {
            JsonNode run = finished.get(s.runId());
            assertThat(run.get("status").asText()).as("%s", run).isEqualTo("completed");
            assertThat(run.get("output").get("processed").asInt()).isEqualTo(s.items());
            long checksum = 0;
            for (int i = 0; i < s.items(); i++) checksum += (long) i * i;
            assertThat(run.get("output").get("checksum").asLong()).isEqualTo(checksum);
            JsonNode attempts = run.get("attempts");
            for (int i = 0; i < attempts.size(); i++) {
                JsonNode attempt = attempts.get(i);
                if (attempt.get("nodeId").asText().equals("node-b")
                        && "abandoned".equals(attempt.path("outcome").asText())) {
                    JsonNode next = attempts.get(i + 1);
                    assertThat(next.get("nodeId").asText()).isIn("node-a", "node-c");
                    assertThat(next.get("attempt").asInt())
                            .isEqualTo(attempt.get("attempt").asInt() + 1);
                    takenOver++;
                }
            }
        }
        System.out.printf(
                "failover test: %d runs, %d steps completed before the kill, %d runs of the killed node taken over%n",
                runs.size(), doneBeforeKill.size(), takenOver);
        assertThat(takenOver)
                .as("runs the killed node owned were taken over by another node")
                .isPositive();

        for (DoneStep step : doneBeforeKill) {
            JsonNode history =
                    get(a, "/v1/runs/" + step.runId() + "/history?limit=10000").get("events");
            for (JsonNode e : history) {
                boolean again = e.get("type").asText().equals("step_started")
                        && e.path("stepSeq").asInt(-1) == step.seq()
                        && e.get("attempt").asInt() > step.runAttempt();
                assertThat(again)
                        .as("step %d of %s ran again: %s", step.seq(), step.runId(), e)
                        .isFalse();
            }
            JsonNode recorded = get(a, "/v1/runs/" + step.runId()).get("steps").get(step.seq());
            assertThat(Instant.parse(recorded.get("completedAt").asText()).toEpochMilli())
                    .isEqualTo(step.completedAt());
        }
    }

    private List<DoneStep> completedSteps() throws Exception {
        List<DoneStep> steps = new ArrayList<>();
        try (Connection conn = DriverManager.getConnection(url);
                ResultSet rs = conn.createStatement()
                        .executeQuery(
                                "SELECT run_id, seq, completed_at, run_attempt FROM steps WHERE status = 'completed' "
                                        + "AND kind = 'function'")) {
            while (rs.next()) steps.add(new DoneStep(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getInt(4)));
        }
        return steps;
    }

    private String schedule(ServerProcess node, String input) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/workflows/batch"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": " + input + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("runId").asText();
    }

    private JsonNode get(ServerProcess node, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
