package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PUT /api/agents/{agentName}/{agentId}/{runId}} addresses an agent that continued as new by its agent id (its
 * first run's id) and any of its runs, on both stores; a run that is not one of that agent's is a 404.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class AgentIdRouteTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Test
    void aContinuedAgentIsAddressedByItsAgentIdAndAnyOfItsRuns() throws Exception {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config().withContinueAsNewAfterSteps(4), null, 10L << 20);
        String agentId = server.post("/api/agents/echo", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        for (String text : List.of("a", "b", "c"))
            assertThat(say(agentId, agentId, text).status()).isEqualTo(200);
        List<String> chain = awaitContinued(agentId);
        String latest = chain.getLast();

        TestServer.Response toLatest = say(agentId, latest, "d");
        assertThat(toLatest.status()).as(toLatest.raw()).isEqualTo(200);
        assertThat(toLatest.body().get("runId").asText()).isEqualTo(latest);
        TestServer.Response toEarlier = say(agentId, chain.get(1), "e");
        assertThat(toEarlier.status()).as(toEarlier.raw()).isEqualTo(200);
        assertThat(chain(agentId)).contains(toEarlier.body().get("deliveredTo").asText());

        String otherAgent = server.post("/api/agents/echo", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        String hello = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"Ada\"}}")
                .body()
                .get("runId")
                .asText();
        for (String[] wrong : new String[][] {
            {"echo", latest, latest},
            {"echo", otherAgent, latest},
            {"echo", agentId, otherAgent},
            {"chat", agentId, latest},
            {"echo", agentId, hello},
            {"echo", agentId, "run_doesNotExist"},
            {"echo", "run_doesNotExist", latest}
        }) {
            TestServer.Response r = server.put(
                    "/api/agents/" + wrong[0] + "/" + wrong[1] + "/" + wrong[2],
                    "{\"eventName\": \"say\", \"eventInput\": {\"text\": \"x\"}}");
            assertThat(r.status())
                    .as("%s/%s/%s: %s", wrong[0], wrong[1], wrong[2], r.raw())
                    .isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }

        assertThat(server.put("/api/agents/echo/" + agentId + "/" + latest, "{\"eventName\": \"end\"}")
                        .status())
                .isEqualTo(200);
        JsonNode done = awaitLastCompleted(agentId);
        List<String> lines = new ArrayList<>();
        done.get("output").get("lines").forEach(l -> lines.add(l.asText()));
        assertThat(lines).containsExactly("A!", "B!", "C!", "D!", "E!");
    }

    TestServer.Response say(String agentId, String runId, String text) {
        return server.put(
                "/api/agents/echo/" + agentId + "/" + runId,
                "{\"eventName\": \"say\", \"eventInput\": {\"text\": \"" + text + "\"}}");
    }

    /** The agent's runs, first to latest, once it has continued as new at least once. */
    List<String> awaitContinued(String agentId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<String> chain = chain(agentId);
            if (chain.size() > 1) return chain;
            assertThat(System.nanoTime())
                    .as("agent %s never continued as new", agentId)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    List<String> chain(String agentId) {
        List<String> chain = new ArrayList<>(List.of(agentId));
        while (true) {
            JsonNode run = server.get("/v1/runs/" + chain.getLast()).body();
            JsonNode next = run.path("output").path("continuedAs");
            if (!next.isTextual()) return chain;
            chain.add(next.asText());
        }
    }

    JsonNode awaitLastCompleted(String agentId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode last = server.get("/v1/runs/" + chain(agentId).getLast()).body();
            if (last.get("status").asText().equals("completed")) return last;
            assertThat(System.nanoTime())
                    .as("agent %s never ended: %s", agentId, last)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
