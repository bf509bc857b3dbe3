package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.server.mcp.TestMcpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Tern process killed with SIGKILL while an {@code mcp_server} run's call is in flight at the MCP server: after a
 * restart on the same data directory the call is made again and the run completes with the server's answer.
 */
class McpCrashTest {
    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anMcpCallInFlightWhenTernIsKilledCompletesAfterRestart() throws Exception {
        try (TestMcpServer tools = TestMcpServer.start()) {
            String runId;
            try (ServerProcess first = ServerProcess.start(dataDir, Map.of(), "--mcp-server", "calc=" + tools.url())) {
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(URI.create(first.baseUrl() + "/v1/runs"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"resourceType\": \"mcp_server\", \"server\": \"calc\", \"tool\": \"slow\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                runId = McpJson.MAPPER.readTree(created.body()).path("runId").asText();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (tools.slowCalls.get() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(tools.slowCalls.get())
                        .as("the call reached the MCP server")
                        .isEqualTo(1);
                first.kill();
            }
            try (ServerProcess second = ServerProcess.start(dataDir, Map.of(), "--mcp-server", "calc=" + tools.url())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (tools.slowCalls.get() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(tools.slowCalls.get())
                        .as("the restarted node made the call again")
                        .isEqualTo(2);
                tools.release();
                JsonNode run = McpJson.MAPPER.readTree(http.send(
                                HttpRequest.newBuilder(
                                                URI.create(second.baseUrl() + "/v1/runs/" + runId + "?waitSeconds=30"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
                assertThat(run.path("kind").asText()).isEqualTo("mcp_server");
                assertThat(run.at("/output/calls").asInt()).isEqualTo(2);
            }
        }
    }
}
