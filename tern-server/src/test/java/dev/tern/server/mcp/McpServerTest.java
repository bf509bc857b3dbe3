package dev.tern.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.agents.mcp.McpServers;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.examples.EchoAgent;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.WorkflowDefinition;
import dev.tern.server.SpecSchemas;
import dev.tern.server.http.TernHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's own Java client against Tern's {@code /mcp}, over real HTTP on a loopback port. */
class McpServerTest {
    static final String TOKEN = "mcp-secret";

    public record Name(String name) {}

    public record Greeting(String message) {}

    static final WorkflowDefinition<Name, Greeting> GREET = WorkflowDefinition.of(
                    "greet",
                    Name.class,
                    Greeting.class,
                    (ctx, in) -> new Greeting(ctx.step("say", String.class, () -> "Hello, " + in.name() + "!")))
            .withDescription("Greets someone by name");
    static final WorkflowDefinition<Name, Greeting> BOOM =
            WorkflowDefinition.of("boom", Name.class, Greeting.class, (ctx, in) -> {
                throw new NonRetryableException("Kaboom", "exploded for " + in.name(), null);
            });
    static final WorkflowDefinition<Name, Greeting> SLOW =
            WorkflowDefinition.of("slow", Name.class, Greeting.class, (ctx, in) -> {
                ctx.sleep(Duration.ofSeconds(4));
                return new Greeting("late " + in.name());
            });

    @TempDir
    Path dir;

    TernEngine engine;
    TernHttpServer http;
    McpSyncClient client;
    final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        Definitions defs = Definitions.builder()
                .workflow(GREET)
                .workflow(BOOM)
                .workflow(SLOW)
                .agent(EchoAgent.DEFINITION)
                .build();
        engine = TernEngine.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withSuspendGrace(Duration.ofMillis(300))
                        .withPollInterval(Duration.ofMillis(100)),
                defs);
        http = TernHttpServer.start(
                engine,
                new TernHttpServer.Settings("127.0.0.1", 0, TOKEN, 1 << 20),
                new McpSettings(new McpServers(List.of()), Duration.ofSeconds(2)));
        client = client(TOKEN);
        client.initialize();
    }

    McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + http.port())
                .endpoint("/mcp")
                .jsonMapper(McpJson.JSON)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("test-client", "1.2.3"))
                .jsonSchemaValidator(McpJson.VALIDATOR)
                .requestTimeout(Duration.ofSeconds(20))
                .progressConsumer(progress::add)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        engine.close();
    }

    @Test
    void listsEveryWorkflowAndAgentWithItsSchemas() {
        Map<String, McpSchema.Tool> tools = new java.util.HashMap<>();
        client.listTools().tools().forEach(t -> tools.put(t.name(), t));
        assertThat(tools).containsOnlyKeys("greet", "boom", "slow", "echo");
        McpSchema.Tool greet = tools.get("greet");
        assertThat(greet.description()).startsWith("Greets someone by name.").contains("durable run");
        assertThat(McpJson.MAPPER
                        .valueToTree(greet.inputSchema())
                        .at("/properties/name/type")
                        .asText())
                .isEqualTo("string");
        assertThat(McpJson.MAPPER
                        .valueToTree(greet.inputSchema())
                        .path("required")
                        .toString())
                .contains("name");
        assertThat(McpJson.MAPPER
                        .valueToTree(greet.outputSchema())
                        .at("/anyOf/0/properties/message/type")
                        .asText())
                .isEqualTo("string");
        assertThat(McpJson.MAPPER
                        .valueToTree(greet.outputSchema())
                        .at("/anyOf/1/required")
                        .toString())
                .contains("runId");
        assertThat(tools.get("echo").description()).contains("long-lived").contains("runId");
    }

    @Test
    void aCallIsADurableRunWithProgressItsOutputAndItsCallerRecorded() throws Exception {
        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
                .name("greet")
                .arguments(Map.of("name", "Ada"))
                .progressToken("p-1")
                .build());
        assertThat(result.isError()).isFalse();
        assertThat(McpJson.MAPPER
                        .valueToTree(result.structuredContent())
                        .path("message")
                        .asText())
                .isEqualTo("Hello, Ada!");
        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("Hello, Ada!");
        String runId = (String) result.meta().get("tern/runId");
        // The client hands each notification to its consumer on a pool thread of its own, so they may land in any
        // order and after the call's answer; the server sent them all before answering.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(progress.stream()
                                .map(McpSchema.ProgressNotification::message)
                                .toList())
                        .anyMatch(m -> m.contains("step completed"))
                        .anyMatch(m -> m.contains("run completed")));
        assertThat(progress).allMatch(p -> "p-1".equals(p.progressToken()));

        JsonNode list = get("/v1/runs?name=greet");
        assertThat(list.path("runs").findValuesAsText("runId")).contains(runId);
        JsonNode resource = get("/v1/runs/" + runId + "?view=resource");
        assertThat(resource.path("resourceType").asText()).isEqualTo("workflow");
        assertThat(resource.at("/input/mode").asText()).isEqualTo("tool");
        assertThat(resource.at("/input/arguments/name").asText()).isEqualTo("Ada");
        assertThat(resource.at("/input/callerContext/clientInfo/name").asText()).isEqualTo("test-client");
        assertThat(resource.at("/input/callerContext/clientInfo/version").asText())
                .isEqualTo("1.2.3");
        assertThat(SpecSchemas.errors(RunWaitViewsResource.SCHEMA, resource)).isEmpty();
    }

    @Test
    void argumentsThatBreakTheSchemaAreAToolErrorNamingTheField() {
        McpSchema.CallToolResult wrongType = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("name", 5)));
        assertThat(wrongType.isError()).isTrue();
        assertThat(text(wrongType)).contains("$.name");
        McpSchema.CallToolResult missing = client.callTool(new McpSchema.CallToolRequest("greet", Map.of()));
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("name");
        assertThat(engine.runs(new dev.tern.engine.RunQuery(null, "greet", null, 10, null, null, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void aFailingWorkflowIsAToolResultWithIsError() {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("boom", Map.of("name", "Bob")));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("failed").contains("exploded for Bob");
    }

    @Test
    void aCallThatOutlivesTheWaitAnswersWithTheRunToFollowAsAResource() throws Exception {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("slow", Map.of("name", "Cy")));
        assertThat(result.isError()).isFalse();
        String runId = (String) result.meta().get("tern/runId");
        assertThat(text(result)).contains(runId).contains("tern://runs/" + runId);
        assertThat(McpJson.MAPPER
                        .valueToTree(result.structuredContent())
                        .path("status")
                        .asText())
                .isEqualTo("running");
        McpSchema.ReadResourceResult read =
                client.readResource(new McpSchema.ReadResourceRequest("tern://runs/" + runId));
        JsonNode view = McpJson.MAPPER.readTree(
                ((McpSchema.TextResourceContents) read.contents().get(0)).text());
        assertThat(view.path("runId").asText()).isEqualTo(runId);
        assertThat(view.path("status").asText()).isEqualTo("running");
        assertThat(client.listResourceTemplates().resourceTemplates())
                .anyMatch(t -> t.uriTemplate().equals("tern://runs/{runId}"));
        assertThat(engine.awaitCompletion(runId, Duration.ofSeconds(20)).status())
                .isEqualTo(RunStatus.COMPLETED);
        assertThatThrownBy(() -> client.readResource(new McpSchema.ReadResourceRequest("tern://runs/run_nope")))
                .isNotNull();
    }

    @Test
    void aSubscriberToARunIsToldOfItsChangesUntilItEnds() throws Exception {
        List<String> updates = new CopyOnWriteArrayList<>();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + http.port())
                .endpoint("/mcp")
                .jsonMapper(McpJson.JSON)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
                .build();
        try (McpSyncClient follower = McpClient.sync(transport)
                .jsonSchemaValidator(McpJson.VALIDATOR)
                .requestTimeout(Duration.ofSeconds(20))
                .resourcesUpdateConsumer(
                        contents -> contents.forEach(c -> updates.add(((McpSchema.TextResourceContents) c).text())))
                .build()) {
            follower.initialize();
            McpSchema.CallToolResult result =
                    follower.callTool(new McpSchema.CallToolRequest("slow", Map.of("name", "Di")));
            String uri = "tern://runs/" + result.meta().get("tern/runId");
            follower.readResource(new McpSchema.ReadResourceRequest(uri));
            follower.subscribeResource(new McpSchema.SubscribeRequest(uri));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> updates.stream().anyMatch(u -> u.contains("\"status\":\"completed\"")));
        }
    }

    @Test
    void callingAnAgentStartsItAndReturnsItsRunId() {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of()));
        assertThat(result.isError()).isFalse();
        String runId = McpJson.MAPPER
                .valueToTree(result.structuredContent())
                .path("runId")
                .asText();
        assertThat(engine.requireRun(runId).kind()).isEqualTo(RunKind.AGENT);
        assertThat(engine.requireRun(runId).status().isTerminal()).isFalse();
    }

    @Test
    void withoutTheBearerTokenMcpIs401() throws Exception {
        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/mcp"))
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json, text/event-stream")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(McpJson.MAPPER.readTree(raw.body()).path("status").asInt()).isEqualTo(401);
        try (McpSyncClient wrong = client("not-the-token")) {
            assertThatThrownBy(wrong::initialize).isNotNull();
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return McpJson.MAPPER.readTree(r.body());
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** The seed's run resource schema. */
    static final class RunWaitViewsResource {
        static final com.networknt.schema.JsonSchema SCHEMA = SpecSchemas.file("agent-service-run.schema.json");
    }
}
