package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path of the Restack seed API over real HTTP, responses validated against the seed schemas. */
class RestackApiConformanceTest {
    static final JsonSchema WORKFLOW_RUN = SpecSchemas.file("restack-workflow-run.schema.json");
    static final JsonSchema AGENT_RUN = SpecSchemas.file("restack-agent-run.schema.json");

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void assertValid(JsonSchema schema, JsonNode body) {
        assertThat(SpecSchemas.errors(schema, body))
                .as("schema errors in %s", body)
                .isEmpty();
    }

    JsonNode awaitRestack(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            TestServer.Response r = server.get(path);
            assertThat(r.status()).isEqualTo(200);
            String status = r.body().get("status").asText();
            if (status.equals("completed") || status.equals("failed") || System.nanoTime() > deadline) return r.body();
            Thread.sleep(50);
        }
    }

    @Test
    void schedulesAWorkflowAndReadsItsRun() throws Exception {
        TestServer.Response scheduled = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"Ada\"}}");
        assertThat(scheduled.status()).isEqualTo(200);
        assertValid(SpecSchemas.restackComponent("WorkflowRunResponse"), scheduled.body());
        String runId = scheduled.body().get("runId").asText();
        assertThat(runId).matches("^run_[a-zA-Z0-9]+$");

        TestServer.Response early = server.get("/api/workflows/hello/" + runId);
        assertValid(WORKFLOW_RUN, early.body());
        assertValid(SpecSchemas.restackComponent("WorkflowRunStatus"), early.body());

        JsonNode done = awaitRestack("/api/workflows/hello/" + runId);
        assertValid(WORKFLOW_RUN, done);
        assertValid(SpecSchemas.restackComponent("WorkflowRunStatus"), done);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("workflowName").asText()).isEqualTo("hello");
        assertThat(done.get("output").get("message").asText()).isEqualTo("Hello, Ada!");
        assertThat(done.get("input").get("name").asText()).isEqualTo("Ada");
        assertThat(done.has("createdAt") && done.has("completedAt")).isTrue();
    }

    @Test
    void schedulesAnAgentSendsEventsAndReadsTheConversation() throws Exception {
        TestServer.Response scheduled = server.post("/api/agents/chat", null);
        assertThat(scheduled.status()).isEqualTo(200);
        assertValid(SpecSchemas.restackComponent("AgentRunResponse"), scheduled.body());
        String runId = scheduled.body().get("runId").asText();

        TestServer.Response first = server.put(
                "/api/agents/chat/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"hello\"}]}}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("inboxSequence").asLong()).isEqualTo(1);
        TestServer.Response second = server.put(
                "/api/agents/chat/" + runId + "/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"again\"}]}}");
        assertThat(second.status()).isEqualTo(200);

        TestServer.Response running = server.get("/api/agents/chat/" + runId);
        assertValid(AGENT_RUN, running.body());
        assertValid(SpecSchemas.restackComponent("AgentRunStatus"), running.body());
        assertThat(running.body().get("status").asText()).isIn("running", "queued");

        assertThat(server.put("/api/agents/chat/" + runId, "{\"eventName\": \"end\"}")
                        .status())
                .isEqualTo(200);
        JsonNode done = awaitRestack("/api/agents/chat/" + runId);
        assertValid(AGENT_RUN, done);
        assertValid(SpecSchemas.restackComponent("AgentRunStatus"), done);
        assertThat(done.get("agentName").asText()).isEqualTo("chat");
        assertThat(done.get("output").get("messages")).hasSize(4);
        assertThat(done.get("output").get("messages").get(3).get("content").asText())
                .isEqualTo("You said: \"again\" (turn 2)");

        TestServer.Response late = server.put("/api/agents/chat/" + runId, "{\"eventName\": \"end\"}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.contentType()).startsWith("application/problem+json");
    }

    @Test
    void healthIsOk() {
        TestServer.Response health = server.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void cancelledAndFailedRunsStayInsideTheRestackEnum() throws Exception {
        String sleepy = server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": 3600}}")
                .body()
                .get("runId")
                .asText();
        assertThat(server.post("/v1/runs/" + sleepy + "/cancel", null).status()).isEqualTo(200);
        // a cancel of a run still in its thread is a request: the run ends once its execution unwinds
        JsonNode cancelled = awaitRestack("/api/workflows/sleepy/" + sleepy);
        assertValid(WORKFLOW_RUN, cancelled);
        assertThat(cancelled.get("status").asText()).isEqualTo("failed");
        assertThat(cancelled.get("error").asText()).startsWith("cancelled");
        assertThat(server.get("/v1/runs/" + sleepy).body().get("status").asText())
                .isEqualTo("cancelled");

        String flaky = server.post("/api/workflows/flaky", "{\"input\": {\"failures\": 99}}")
                .body()
                .get("runId")
                .asText();
        JsonNode failed = awaitRestack("/api/workflows/flaky/" + flaky);
        assertValid(WORKFLOW_RUN, failed);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("failures must be between 0 and 50");
    }

    @Test
    void aRunAskedForUnderAnotherNameIsNotFound() {
        String hello = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"A\"}}")
                .body()
                .get("runId")
                .asText();
        String chat = server.post("/api/agents/chat", "{}").body().get("runId").asText();

        assertProblem(server.get("/api/workflows/flaky/" + hello), 404);
        assertProblem(server.get("/api/agents/chat/" + hello), 404);
        assertProblem(server.get("/api/workflows/hello/" + chat), 404);
        assertProblem(server.get("/api/workflows/nope/" + hello), 404);
        assertProblem(server.get("/api/workflows/hello/run_doesnotexist"), 404);
        assertProblem(server.get("/api/workflows/hello/not-a-run-id"), 404);
        assertProblem(server.put("/api/agents/chat/" + hello, "{\"eventName\": \"end\"}"), 404);
        assertProblem(server.put("/api/agents/chat/run_other/" + chat, "{\"eventName\": \"end\"}"), 404);
        assertProblem(server.post("/api/workflows/nope", "{}"), 404);
        assertProblem(server.post("/api/agents/hello", "{}"), 404);
        assertProblem(server.post("/api/workflows/chat", "{}"), 404);
    }

    static JsonNode assertProblem(TestServer.Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("type").asText()).startsWith("https://");
        assertThat(r.body().get("title").asText()).isNotBlank();
        assertThat(r.body().get("detail").asText()).isNotBlank();
        assertThat(r.raw()).doesNotContain("at dev.tern").doesNotContain("Exception:");
        return r.body();
    }
}
