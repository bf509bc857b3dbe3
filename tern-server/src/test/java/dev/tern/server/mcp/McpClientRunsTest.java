package dev.tern.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.agents.mcp.McpServerConfig;
import dev.tern.agents.mcp.McpServers;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.server.SpecSchemas;
import dev.tern.server.http.TernHttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/runs} of {@code mcp_server} and {@code tool} runs, against an MCP server started here. */
class McpClientRunsTest {
    public record Number(int n) {}

    static final FunctionDefinition<Number, Number> DOUBLE =
            FunctionDefinition.of("double", Number.class, Number.class, in -> new Number(in.n() * 2));

    @TempDir
    Path dir;

    TestMcpServer tools;
    McpServers servers;
    TernEngine engine;
    TernHttpServer http;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        tools = TestMcpServer.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        servers = new McpServers(McpServerConfig.parseAll(
                List.of("calc=" + tools.url() + ",down=http://127.0.0.1:" + closedPort + "/mcp")));
        engine = TernEngine.start(
                EngineConfig.embedded(dir).withFsync(false).withPollInterval(Duration.ofMillis(100)),
                Definitions.builder().function(DOUBLE).build(),
                servers.functions());
        http = TernHttpServer.start(
                engine,
                new TernHttpServer.Settings("127.0.0.1", 0, null, 1 << 20),
                new McpSettings(servers, Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        engine.close();
        servers.close();
        tools.close();
    }

    @Test
    void aToolCallOfAnMcpServerIsADurableRunWithTheStructuredResult() throws Exception {
        HttpResponse<String> created = post(
                "{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"add\", \"input\": {\"a\": 2, "
                        + "\"b\": 3}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = McpJson.MAPPER.readTree(created.body()).path("runId").asText();
        RunRecord run = engine.awaitCompletion(runId, Duration.ofSeconds(20));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.kind()).isEqualTo(RunKind.MCP_SERVER);
        assertThat(run.output().path("sum").asDouble()).isEqualTo(5.0);
        assertThat(engine.steps(runId))
                .singleElement()
                .satisfies(s -> assertThat(s.type()).isEqualTo("tool_call"));

        JsonNode view = get("/v1/runs/" + runId + "?view=resource");
        assertThat(view.path("resourceType").asText()).isEqualTo("mcp_server");
        assertThat(view.path("resourceId").asText()).isEqualTo("calc");
        assertThat(view.at("/input/mode").asText()).isEqualTo("mcp_server");
        assertThat(view.at("/input/clientInfo/name").asText()).isEqualTo("tern");
        assertThat(view.at("/input/sessionContext/tool").asText()).isEqualTo("add");
        assertThat(view.at("/input/metadata/arguments/a").asInt()).isEqualTo(2);
        assertThat(SpecSchemas.errors(SpecSchemas.file("agent-service-run.schema.json"), view))
                .isEmpty();

        String shout = McpJson.MAPPER
                .readTree(post("{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"shout\", "
                                + "\"input\": {\"text\": \"hi\"}}")
                        .body())
                .path("runId")
                .asText();
        assertThat(engine.awaitCompletion(shout, Duration.ofSeconds(20))
                        .output()
                        .asText())
                .isEqualTo("HI");
    }

    @Test
    void unknownServersToolsAndBadArgumentsAreProblemsNamingThem() throws Exception {
        HttpResponse<String> server =
                post("{\"resourceType\": \"mcp_server\", \"server\": \"nope\", \"tool\": \"add\", \"input\": {}}");
        assertThat(server.statusCode()).isEqualTo(404);
        assertThat(server.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(server.body()).contains("'nope'").contains("calc");
        HttpResponse<String> tool =
                post("{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"mul\", \"input\": {}}");
        assertThat(tool.statusCode()).isEqualTo(404);
        assertThat(tool.body()).contains("'mul'").contains("add");
        HttpResponse<String> args =
                post("{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"add\", \"input\": {\"a\": "
                        + "\"x\"}}");
        assertThat(args.statusCode()).isEqualTo(400);
        assertThat(args.body()).contains("$.input.a").doesNotContain("Exception");
        HttpResponse<String> type = post("{\"resourceType\": \"robot\", \"name\": \"x\"}");
        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(type.body()).contains("$.resourceType");
        HttpResponse<String> function = post("{\"resourceType\": \"tool\", \"name\": \"triple\"}");
        assertThat(function.statusCode()).isEqualTo(404);
        assertThat(function.body()).contains("'triple'");
    }

    @Test
    void aToolErrorFailsTheRunAtOnceAndADownServerFailsItAfterItsRetries() throws Exception {
        String failing = McpJson.MAPPER
                .readTree(post("{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"fail\"}")
                        .body())
                .path("runId")
                .asText();
        RunRecord failed = engine.awaitCompletion(failing, Duration.ofSeconds(20));
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().message()).contains("no such file: /nope");
        assertThat(engine.steps(failing).get(0).attempts()).isEqualTo(1);

        HttpResponse<String> down =
                post("{\"resourceType\": \"mcp_server\", \"server\": \"down\", \"tool\": \"add\", \"input\": {}}");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(201);
        RunRecord unreachable = engine.awaitCompletion(
                McpJson.MAPPER.readTree(down.body()).path("runId").asText(), Duration.ofSeconds(60));
        assertThat(unreachable.status()).isEqualTo(RunStatus.FAILED);
        assertThat(unreachable.error().summary()).contains("MCP server 'down'").contains("unavailable");
        assertThat(engine.steps(unreachable.id()).get(0).attempts()).isEqualTo(McpServers.RETRY.maxAttempts());
    }

    @Test
    void aRegisteredFunctionRunsAsAToolRun() throws Exception {
        HttpResponse<String> created =
                post("{\"resourceType\": \"tool\", \"name\": \"double\", \"input\": {\"n\": 21}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = McpJson.MAPPER.readTree(created.body()).path("runId").asText();
        assertThat(engine.awaitCompletion(runId, Duration.ofSeconds(20))
                        .output()
                        .path("n")
                        .asInt())
                .isEqualTo(42);
        JsonNode view = get("/v1/runs/" + runId + "?view=resource");
        assertThat(view.path("resourceType").asText()).isEqualTo("tool");
        assertThat(view.at("/input/arguments/n").asInt()).isEqualTo(21);
        assertThat(SpecSchemas.errors(SpecSchemas.file("agent-service-run.schema.json"), view))
                .isEmpty();
        assertThat(get("/v1/runs?kind=tool").path("runs").findValuesAsText("runId"))
                .containsExactly(runId);
        HttpResponse<String> bad =
                post("{\"resourceType\": \"tool\", \"name\": \"double\", \"input\": {\"n\": \"x\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("$.n");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/runs"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return McpJson.MAPPER.readTree(r.body());
    }
}
