package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.engine.RunQuery;
import dev.tern.server.auth.TokenRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokens file with two organisations, the three roles and one hashed entry, over real HTTP: what each role may do,
 * the 403 that names the role needed and the token's, 401 for unknown tokens, the console's session, and {@code /mcp}.
 */
class OrgRolesTest {
    static final String ADMIN = "acme-admin-tok";
    static final String MEMBER = "acme-member-tok";
    static final String VIEWER = "acme-viewer-tok";
    /** In the file only as its SHA-256. */
    static final String HASHED = "globex-hashed-tok";

    static final String HELLO = "{\"input\": {\"name\": \"Ada\"}}";

    @TempDir
    Path dir;

    Path file;
    TestServer server;

    static String sha256Hex(String token) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    static String tokensFile(String... entries) {
        return "{\"tokens\": [" + String.join(",\n", entries) + "],\n"
                + "\"orgs\": {\"acme\": {\"maxActiveRuns\": 3}, \"globex\": {\"schedulesPerSecond\": 1.5}}}";
    }

    static String entry(String token, String org, String role) {
        return "{\"token\": \"" + token + "\", \"org\": \"" + org + "\", \"role\": \"" + role + "\"}";
    }

    static String defaultEntries() throws Exception {
        return tokensFile(
                entry(ADMIN, "acme", "admin"),
                entry(MEMBER, "acme", "member"),
                entry(VIEWER, "acme", "viewer"),
                "{\"tokenSha256\": \"" + sha256Hex(HASHED) + "\", \"org\": \"globex\", \"role\": \"member\", "
                        + "\"name\": \"globex-ci\"}");
    }

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("tokens.json");
        Files.writeString(file, defaultEntries());
        server = TestServer.startWithTokens(dir.resolve("data"), TokenRegistry.of(file, null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void assertForbidden(TestServer.Response r, String needed, String has) {
        JsonNode problem = assertProblem(r, 403);
        assertThat(problem.get("type").asText()).isEqualTo("https://tern.dev/problems/forbidden");
        assertThat(problem.get("detail").asText())
                .isEqualTo("this route needs the " + needed + " role; this token has " + has);
    }

    String startHello(String token) {
        TestServer.Response r = server.send("POST", "/api/workflows/hello", HELLO, token);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("runId").asText();
    }

    @Test
    void aViewerReadsAndIsRefusedTheRest() {
        String runId = startHello(MEMBER);
        for (String path : new String[] {
            "/v1/runs",
            "/v1/definitions",
            "/openapi.json",
            "/v1/schedules",
            "/v1/runs/" + runId,
            "/api/workflows/hello/" + runId,
            "/v1/runs/" + runId + "/history"
        }) {
            assertThat(server.send("GET", path, null, VIEWER).status()).as(path).isEqualTo(200);
        }
        assertForbidden(server.send("POST", "/api/workflows/hello", HELLO, VIEWER), "member", "viewer");
        assertForbidden(server.send("POST", "/v1/runs", "{\"name\": \"hello\"}", VIEWER), "member", "viewer");
        assertForbidden(server.send("POST", "/v1/runs/" + runId + "/cancel", null, VIEWER), "member", "viewer");
        assertForbidden(
                server.send("PUT", "/api/agents/chat/" + runId, "{\"eventName\": \"end\"}", VIEWER),
                "member",
                "viewer");
        assertForbidden(server.send("POST", "/v1/schedules", schedule("v"), VIEWER), "admin", "viewer");
        assertForbidden(server.send("GET", "/metrics", null, VIEWER), "admin", "viewer");
        assertForbidden(server.send("GET", "/v1/runs/" + runId + "/webhooks", null, VIEWER), "admin", "viewer");
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .hasSize(1);
    }

    @Test
    void aMemberRunsAndIsRefusedSchedulesWebhooksAndMetrics() {
        String runId = startHello(MEMBER);
        assertThat(server.send("POST", "/v1/runs/" + runId + "/cancel", null, MEMBER)
                        .status())
                .isIn(200, 409);
        assertThat(server.send("POST", "/v1/runs/" + runId + "/fork", "{\"fromStep\": 0}", MEMBER)
                        .status())
                .isIn(200, 201, 409);
        assertForbidden(server.send("POST", "/v1/schedules", schedule("m"), MEMBER), "admin", "member");
        // the role is checked before the schedule is looked for
        assertForbidden(server.send("DELETE", "/v1/schedules/nope", null, MEMBER), "admin", "member");
        assertForbidden(server.send("POST", "/v1/schedules/nope/pause", null, MEMBER), "admin", "member");
        assertForbidden(server.send("GET", "/v1/runs/" + runId + "/webhooks", null, MEMBER), "admin", "member");
        assertForbidden(server.send("GET", "/metrics", null, MEMBER), "admin", "member");
    }

    @Test
    void anAdminDoesEverything() {
        String runId = startHello(ADMIN);
        assertThat(server.send("POST", "/v1/schedules", schedule("a"), ADMIN).status())
                .isEqualTo(201);
        assertThat(server.send("POST", "/v1/schedules/a/pause", null, ADMIN).status())
                .isEqualTo(200);
        assertThat(server.send("DELETE", "/v1/schedules/a", null, ADMIN).status())
                .isEqualTo(204);
        assertThat(server.status("GET", "/metrics", ADMIN)).isEqualTo(200);
        assertThat(server.send("GET", "/v1/runs/" + runId + "/webhooks", null, ADMIN)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aHashedEntryWorksAndUnknownTokensAre401() throws Exception {
        String runId = startHello(HASHED);
        assertThat(server.send("GET", "/v1/runs/" + runId, null, HASHED).status())
                .isEqualTo(200);
        assertForbidden(server.send("POST", "/v1/schedules", schedule("h"), HASHED), "admin", "member");
        for (String token : new String[] {null, "nope", ADMIN + "x", sha256Hex(HASHED)}) {
            assertProblem(server.send("GET", "/v1/runs", null, token), 401);
            assertProblem(server.send("POST", "/api/workflows/hello", HELLO, token), 401);
            assertProblem(server.send("GET", "/v1/nope", null, token), 401);
        }
        assertThat(server.send("GET", "/health", null, null).status()).isEqualTo(200);
        assertThat(server.send("GET", "/health/ready", null, "nope").status()).isEqualTo(200);
    }

    @Test
    void theConsoleSessionSaysWhoseTokenItIs() {
        JsonNode viewer = server.send("GET", "/console/session", null, VIEWER).body();
        assertThat(viewer.get("tokenRequired").asBoolean()).isTrue();
        assertThat(viewer.get("tokenAccepted").asBoolean()).isTrue();
        assertThat(viewer.get("org").asText()).isEqualTo("acme");
        assertThat(viewer.get("role").asText()).isEqualTo("viewer");
        JsonNode hashed = server.send("GET", "/console/session", null, HASHED).body();
        assertThat(hashed.get("org").asText()).isEqualTo("globex");
        assertThat(hashed.get("role").asText()).isEqualTo("member");
        JsonNode unknown = server.send("GET", "/console/session", null, "nope").body();
        assertThat(unknown.get("tokenAccepted").asBoolean()).isFalse();
        assertThat(unknown.has("org")).isFalse();
        assertThat(unknown.has("role")).isFalse();
    }

    @Test
    void theQuotasOfTheFileAreThere() {
        assertThat(server.http().tokens().quota("acme").maxActiveRuns()).isEqualTo(3);
        assertThat(server.http().tokens().quota("globex").schedulesPerSecond()).isEqualTo(1.5);
    }

    @Test
    void onMcpAViewerListsToolsButCallingOneNeedsAMember() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"hello\","
                + "\"arguments\":{\"name\":\"Ada\"}}}";
        TestServer.Response refused =
                server.send("POST", "/mcp", call, VIEWER, "Accept", "application/json, text/event-stream");
        assertForbidden(refused, "member", "viewer");
        assertProblem(server.send("POST", "/mcp", call, "nope", "Accept", "application/json, text/event-stream"), 401);

        try (McpSyncClient viewer = mcpClient(VIEWER)) {
            viewer.initialize(); // the viewer's messages reach the MCP server whole after the filter read them
            assertThat(viewer.listTools().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("hello");
            assertThatThrownBy(() -> viewer.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", "Ada"))))
                    .hasMessageContaining("Authorization error"); // the SDK's words for a 401 or 403
        }
        try (McpSyncClient member = mcpClient(MEMBER)) {
            member.initialize();
            McpSchema.CallToolResult result =
                    member.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", "Ada")));
            assertThat(result.isError()).isFalse();
        }
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .hasSize(1);
    }

    McpSyncClient mcpClient(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.baseUrl())
                .endpoint("/mcp")
                .jsonMapper(McpJson.JSON)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("roles-test", "1"))
                .jsonSchemaValidator(McpJson.VALIDATOR)
                .requestTimeout(Duration.ofSeconds(20))
                .build();
    }

    static String schedule(String id) {
        return "{\"scheduleId\": \"" + id + "\", \"workflow\": \"hello\", \"input\": {\"name\": \"x\"}, "
                + "\"intervalSeconds\": 3600}";
    }
}
