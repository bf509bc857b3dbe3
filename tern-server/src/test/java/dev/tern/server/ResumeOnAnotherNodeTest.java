package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes sharing one PostgreSQL schema: an attempt that suspended on one node and resumed on another is listed with the
 * node it started on and, as a resumption, the node that took it up; when that node then dies, the attempt's end names
 * it, not the node the attempt started on.
 */
class ResumeOnAnotherNodeTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final JsonSchema RESOURCE_RUN = SpecSchemas.file("agent-service-run.schema.json");

    record Nap(long ms, boolean work) {}

    record Done(String note) {}

    final String schema = PostgresTestDatabase.newSchema();
    final List<LocalNode> nodes = new ArrayList<>();
    final Semaphore work = new Semaphore(0);

    @AfterEach
    void stop() {
        work.release(10);
        nodes.forEach(LocalNode::close);
        PostgresTestDatabase.drop(schema);
    }

    LocalNode node(String id) {
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of("nap", Nap.class, Done.class, (ctx, nap) -> {
                    ctx.sleep(Duration.ofMillis(nap.ms()));
                    if (nap.work())
                        ctx.step(
                                "work",
                                String.class,
                                () -> work.tryAcquire(30, TimeUnit.SECONDS) ? "worked" : "gave up");
                    return new Done("slept");
                }))
                .build();
        EngineConfig config = EngineConfig.postgres(PostgresTestDatabase.url(schema))
                .withNodeId(id)
                .withSuspendGrace(Duration.ofMillis(300))
                .withPollInterval(Duration.ofMillis(100))
                .withLeaseDuration(Duration.ofSeconds(2));
        LocalNode node = LocalNode.start(config, definitions);
        nodes.add(node);
        return node;
    }

    @Test
    void aRunResumedOnAnotherNodeKeepsItsAttemptsNodeAndListsTheResumption() throws Exception {
        LocalNode a = node("node-a");
        String runId = a.post("/v1/runs", "{\"name\": \"nap\", \"input\": {\"ms\": 2500, \"work\": false}}")
                .get("runId")
                .asText();
        JsonNode suspended = a.await(
                "/v1/runs/" + runId, r -> r.path("waiting").path("suspended").asBoolean(), WAIT, "a suspension");
        Instant wakeAt = Instant.parse(suspended.get("waiting").get("wakeAt").asText());
        a.close();
        nodes.remove(a);

        LocalNode b = node("node-b");
        JsonNode done = b.await(
                "/v1/runs/" + runId, r -> r.get("status").asText().equals("completed"), WAIT, "completion on node-b");
        JsonNode attempts = done.get("attempts");
        assertThat(attempts)
                .as("a resumption is not a new attempt: %s", attempts)
                .hasSize(1);
        assertThat(attempts.get(0).get("nodeId").asText()).isEqualTo("node-a");
        assertThat(attempts.get(0).get("resumes")).hasSize(1);
        assertThat(attempts.get(0).get("resumes").get(0).get("nodeId").asText()).isEqualTo("node-b");
        assertThat(Instant.parse(attempts.get(0).get("resumes").get(0).get("at").asText()))
                .isAfterOrEqualTo(wakeAt);

        JsonNode resource = b.get("/v1/runs/" + runId + "?view=resource");
        assertThat(SpecSchemas.errors(RESOURCE_RUN, resource))
                .as("%s", resource)
                .isEmpty();
        assertThat(resource.get("attempts")).hasSize(1);
        assertThat(resource.get("attempts").get(0).get("runtimeConnectionId").asText())
                .isEqualTo("node-a");
        assertThat(resource.get("attempts").get(0).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void anAttemptAbandonedAfterAResumptionNamesTheNodeThatLastRanIt() throws Exception {
        LocalNode a = node("node-a");
        String runId = a.post("/v1/runs", "{\"name\": \"nap\", \"input\": {\"ms\": 1500, \"work\": true}}")
                .get("runId")
                .asText();
        a.await("/v1/runs/" + runId, r -> r.path("waiting").path("suspended").asBoolean(), WAIT, "a suspension");
        a.close();
        nodes.remove(a);

        LocalNode b = node("node-b");
        b.await(
                "/v1/runs/" + runId,
                r -> r.get("attempts").get(0).has("resumes") && r.get("steps").size() == 1,
                WAIT,
                "the resumption on node-b");
        b.close();
        nodes.remove(b);

        LocalNode c = node("node-c");
        c.await("/v1/runs/" + runId, r -> r.get("attempts").size() == 2, WAIT, "the takeover on node-c");
        work.release();
        JsonNode done = c.await(
                "/v1/runs/" + runId, r -> r.get("status").asText().equals("completed"), WAIT, "completion on node-c");
        JsonNode first = done.get("attempts").get(0);
        assertThat(first.get("nodeId").asText()).isEqualTo("node-a");
        assertThat(first.get("resumes").get(0).get("nodeId").asText()).isEqualTo("node-b");
        assertThat(first.get("outcome").asText()).isEqualTo("abandoned");
        assertThat(done.get("attempts").get(1).get("nodeId").asText()).isEqualTo("node-c");

        JsonNode resource = c.get("/v1/runs/" + runId + "?view=resource");
        assertThat(SpecSchemas.errors(RESOURCE_RUN, resource))
                .as("%s", resource)
                .isEmpty();
        assertThat(resource.get("attempts").get(0).get("errorSummary").asText())
                .startsWith("node node-b stopped renewing its lease");
    }
}
