package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a real server while runs wait for a human (and right after one is answered), restarts it on the same data
 * directory, and checks the questions survive, answers resume the runs, and the step before the question never runs
 * again.
 */
class HumanInTheLoopCrashTest {
    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void awaitingHumanRunsSurviveSigkillAndCompleteWhenAnswered() throws Exception {
        List<String> runs = new ArrayList<>();
        String answeredBeforeKill;
        try (ServerProcess first = ServerProcess.start(dataDir, Map.of())) {
            for (int i = 0; i < 4; i++)
                runs.add(send(first, "POST", "/v1/runs", "{\"name\": \"approval\", \"input\": {}}", 201)
                        .get("runId")
                        .asText());
            for (String id : runs) awaitStatus(first, id, "awaiting-human");
            answeredBeforeKill = runs.get(0);
            send(
                    first,
                    "POST",
                    "/v1/runs/" + answeredBeforeKill + "/interactions/" + blocking(first, answeredBeforeKill),
                    "{\"answer\": {\"approved\": true, \"comment\": \"before the crash\"}}",
                    200);
            first.kill();
        }

        try (ServerProcess second = ServerProcess.start(dataDir, Map.of())) {
            JsonNode early = awaitFinished(second, answeredBeforeKill);
            assertThat(early.get("status").asText()).as(second.output()).isEqualTo("completed");
            assertThat(early.get("output").get("comment").asText()).isEqualTo("before the crash");

            for (String id : runs.subList(1, runs.size())) {
                JsonNode run = awaitStatus(second, id, "awaiting-human");
                assertThat(run.get("openInteractionCount").asInt()).isEqualTo(1);
            }
            send(
                    second,
                    "POST",
                    "/v1/runs/" + runs.get(1) + "/interactions/" + blocking(second, runs.get(1)),
                    "{\"answer\": {\"approved\": true}}",
                    200);
            send(
                    second,
                    "POST",
                    "/v1/runs/" + runs.get(2) + "/interactions/" + blocking(second, runs.get(2)),
                    "{\"answer\": {\"approved\": false, \"comment\": \"after the crash\"}}",
                    200);
            assertThat(awaitFinished(second, runs.get(1)).get("status").asText())
                    .isEqualTo("completed");
            JsonNode rejected = awaitFinished(second, runs.get(2));
            assertThat(rejected.get("status").asText()).isEqualTo("failed");
            assertThat(rejected.get("error").get("message").asText()).contains("after the crash");
            assertThat(send(second, "GET", "/v1/runs/" + runs.get(3), null, 200)
                            .get("status")
                            .asText())
                    .isEqualTo("awaiting-human");

            for (String id : runs.subList(0, 3)) {
                long draftStarts = 0;
                for (JsonNode e : send(second, "GET", "/v1/runs/" + id + "/history", null, 200)
                        .get("events")) {
                    if (e.get("type").asText().equals("step_started")
                            && e.path("data").path("name").asText().equals("draft")) draftStarts++;
                }
                assertThat(draftStarts)
                        .as("the draft step of %s ran once across the crash", id)
                        .isEqualTo(1);
            }
        }
    }

    private String blocking(ServerProcess server, String runId) throws Exception {
        return send(server, "GET", "/v1/runs/" + runId, null, 200)
                .get("blockingInteractionId")
                .asText();
    }

    private JsonNode awaitStatus(ServerProcess server, String runId, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode run;
        do {
            run = send(server, "GET", "/v1/runs/" + runId, null, 200);
            if (run.get("status").asText().equals(status)) return run;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(runId + " never reached " + status + ": " + run + "\n" + server.output());
    }

    private JsonNode awaitFinished(ServerProcess server, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode run;
        do {
            run = send(server, "GET", "/v1/runs/" + runId, null, 200);
            if (List.of("completed", "failed", "cancelled")
                    .contains(run.get("status").asText())) return run;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(runId + " never finished: " + run + "\n" + server.output());
    }

    private JsonNode send(ServerProcess server, String method, String path, String body, int expected)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r =
                http.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(expected);
        return Json.MAPPER.readTree(r.body());
    }
}
