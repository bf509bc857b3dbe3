package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revisions, release channels and snapshots over HTTP: definitions show their revisions, runs their revision, channel
 * and snapshots in every view (validated against the spec and the server's own OpenAPI document), channels route new
 * runs, bad channels and revisions are problems naming the field, and a run whose revision no node has says so.
 */
class RevisionApiTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    record In(String text) {}

    record Out(String text) {}

    @TempDir
    Path dir;

    TestServer server;

    static WorkflowDefinition<In, Out> v1() {
        return WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> new Out("v1:" + in.text()))
                .version("r1");
    }

    static WorkflowDefinition<In, Out> v2() {
        return WorkflowDefinition.of("flow", In.class, Out.class, (ctx, in) -> {
                    In go = ctx.awaitEvent("go", In.class);
                    return new Out("v2:" + in.text() + go.text());
                })
                .version("r2");
    }

    TestServer start(Definitions definitions) {
        return TestServer.start(EngineConfig.embedded(dir).withFsync(false), null, 10L << 20, definitions);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void channelsRouteNewRunsAndEveryViewShowsTheRevisionAndSnapshots() throws Exception {
        server = start(Definitions.builder().workflow(v1()).workflow(v2()).build());
        JsonNode openApi = server.get("/openapi.json").body();
        JsonNode flow = StreamSupport.stream(
                        server.get("/v1/definitions").body().path("definitions").spliterator(), false)
                .filter(d -> d.path("name").asText().equals("flow"))
                .findFirst()
                .orElseThrow();
        assertThat(flow.path("revision").asText()).isEqualTo("r2");
        assertThat(flow.path("revisions").toString()).isEqualTo("[\"r1\",\"r2\"]");
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "Definition"), flow))
                .isEmpty();

        TestServer.Response set =
                server.post("/v1/channels/stable", "{\"definition\": \"flow\", \"revision\": \"r1\"}");
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "Channel"), set.body()))
                .isEmpty();
        assertThat(server.get("/v1/channels")
                        .body()
                        .path("channels")
                        .get(0)
                        .path("revision")
                        .asText())
                .isEqualTo("r1");

        TestServer.Response r = server.post(
                "/v1/runs", "{\"name\": \"flow\", \"input\": {\"text\": \"a\"}, \"releaseChannel\": \"stable\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "RunSummary"), r.body()))
                .isEmpty();
        assertThat(r.body().path("revision").asText()).isEqualTo("r1");
        assertThat(r.body().path("releaseChannel").asText()).isEqualTo("stable");
        String id = r.body().path("runId").asText();
        assertThat(server.awaitRun(id, WAIT).path("output").path("text").asText())
                .isEqualTo("v1:a");

        JsonNode full = server.get("/v1/runs/" + id).body();
        assertThat(SpecSchemas.errors(SpecSchemas.component(openApi, "Run"), full))
                .isEmpty();
        assertThat(full.path("executionProfile").path("revision").asText()).isEqualTo("r1");
        JsonNode resource = server.get("/v1/runs/" + id + "/resource").body();
        assertThat(SpecSchemas.errors(SpecSchemas.file("agent-service-run.schema.json"), resource))
                .isEmpty();
        assertThat(resource.path("resourceRevisionId").asText()).isEqualTo("r1");
        assertThat(resource.path("releaseChannelId").asText()).isEqualTo("stable");
        assertThat(resource.path("executionProfileSnapshot").path("definition").asText())
                .isEqualTo("flow");
        assertThat(resource.path("executionProfileSnapshot").path("timeouts").has("leaseMs"))
                .isTrue();
        assertThat(resource.path("runPolicySnapshot")
                        .path("retryPolicy")
                        .path("maxAttempts")
                        .asInt())
                .isEqualTo(3);

        TestServer.Response newest = server.post("/v1/runs", "{\"name\": \"flow\", \"input\": {\"text\": \"b\"}}");
        assertThat(newest.body().path("revision").asText()).isEqualTo("r2");
        assertThat(newest.body().path("releaseChannel").asText()).isEqualTo("default");
        List<String> onR1 = StreamSupport.stream(
                        server.get("/v1/runs?revision=r1").body().path("runs").spliterator(), false)
                .map(n -> n.path("runId").asText())
                .toList();
        assertThat(onR1).containsExactly(id);
    }

    @Test
    void unknownChannelsAndRevisionsAreProblemsNamingTheField() {
        server = start(Definitions.builder().workflow(v1()).workflow(v2()).build());
        TestServer.Response r = server.post(
                "/v1/runs", "{\"name\": \"flow\", \"input\": {\"text\": \"a\"}, \"releaseChannel\": \"x\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.raw()).contains("releaseChannel").doesNotContain("Exception");
        TestServer.Response badRevision =
                server.post("/v1/channels/stable", "{\"definition\": \"flow\", \"revision\": \"r9\"}");
        assertThat(badRevision.status()).as(badRevision.raw()).isEqualTo(400);
        assertThat(badRevision.raw()).contains("revision").contains("r1");
        TestServer.Response badDefinition =
                server.post("/v1/channels/stable", "{\"definition\": \"nope\", \"revision\": \"r1\"}");
        assertThat(badDefinition.status()).isEqualTo(400);
        assertThat(badDefinition.raw()).contains("definition");
        TestServer.Response badName =
                server.post("/v1/channels/-x", "{\"definition\": \"flow\", \"revision\": \"r1\"}");
        assertThat(badName.status()).isEqualTo(400);
        TestServer.Response unknownField =
                server.post("/v1/channels/stable", "{\"definition\": \"flow\", \"revision\": \"r1\", \"x\": 1}");
        assertThat(unknownField.status()).isEqualTo(400);
    }

    @Test
    void aRunWhoseRevisionNoNodeHasSaysRevisionUnavailable() throws Exception {
        server = start(Definitions.builder().workflow(v1()).workflow(v2()).build());
        String id = server.post("/v1/runs", "{\"name\": \"flow\", \"input\": {\"text\": \"a\"}}")
                .body()
                .path("runId")
                .asText();
        await().atMost(WAIT).until(() -> server.engine().requireRun(id).suspended());
        server.close();
        server = start(Definitions.builder().workflow(v1()).build());
        server.post("/v1/runs/" + id + "/events", "{\"eventName\": \"go\", \"eventInput\": {\"text\": \"!\"}}");
        JsonNode resource = server.get("/v1/runs/" + id + "/resource").body();
        assertThat(SpecSchemas.errors(SpecSchemas.file("agent-service-run.schema.json"), resource))
                .isEmpty();
        assertThat(resource.path("blockedReason").asText()).isEqualTo("revision_unavailable");
        assertThat(resource.path("status").asText()).isEqualTo("running");
        JsonNode listed = server.get("/v1/runs?revision=r2").body().path("runs").get(0);
        assertThat(listed.path("blockedReason").asText()).isEqualTo("revision_unavailable");
    }
}
