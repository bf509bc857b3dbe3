package dev.tern.agents.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external MCP servers a node calls, by name, with one connected client each (opened on first use, reopened after a
 * failure). {@link #function} is the durable step an {@code mcp_server} run makes: the tool's structured content when
 * it gives one, else its text; a tool that answers with {@code isError} fails for good; a server that cannot be reached
 * is retried by the step's policy.
 */
public final class McpServers implements AutoCloseable {
    /** The retry policy of a call: a server that is down gets five attempts over about 15 seconds. */
    public static final RetryPolicy RETRY =
            new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), List.of());
    /** The error type of a call whose tool answered with {@code isError}. */
    public static final String TOOL_ERROR = "McpToolError";
    /** The error type of a request the server answered with a JSON-RPC error. */
    public static final String REFUSED = "McpRequestRefused";

    private static final Logger log = LoggerFactory.getLogger(McpServers.class);

    private final Map<String, McpServerConfig> configs = new LinkedHashMap<>();
    private final Map<String, McpSyncClient> clients = new ConcurrentHashMap<>();
    private final Duration requestTimeout;

    public McpServers(List<McpServerConfig> servers, Duration requestTimeout) {
        servers.forEach(s -> configs.put(s.name(), s));
        this.requestTimeout = requestTimeout;
    }

    public McpServers(List<McpServerConfig> servers) {
        this(servers, Duration.ofMinutes(2));
    }

    /** The configured servers, in configuration order. */
    public List<McpServerConfig> configs() {
        return List.copyOf(configs.values());
    }

    public Optional<McpServerConfig> config(String name) {
        return Optional.ofNullable(configs.get(name));
    }

    /** What Tern tells servers it is when it connects. */
    public static McpSchema.Implementation clientInfo() {
        String version = McpServers.class.getPackage().getImplementationVersion();
        return new McpSchema.Implementation("tern", version == null ? "dev" : version);
    }

    /** The tools the server offers now; {@link McpUnavailableException} if it cannot be reached. */
    public List<McpSchema.Tool> tools(String server) {
        return withClient(server, client -> {
            List<McpSchema.Tool> all = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
                all.addAll(page.tools());
                cursor = page.nextCursor();
            } while (cursor != null && !cursor.isEmpty());
            return all;
        });
    }

    /**
     * Calls one tool and returns its result: the structured content when given, else the text of its content blocks. A
     * result marked {@code isError} is a {@link NonRetryableException} with the tool's text; a server that cannot be
     * reached is a {@link McpUnavailableException}.
     */
    public JsonNode call(String server, McpToolCall call) {
        McpSchema.CallToolResult result = withClient(
                server, client -> client.callTool(new McpSchema.CallToolRequest(call.tool(), call.arguments())));
        String text = text(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new NonRetryableException(
                    TOOL_ERROR, "tool '" + call.tool() + "' of MCP server '" + server + "' failed: " + text, null);
        }
        if (result.structuredContent() != null) return McpJson.MAPPER.valueToTree(result.structuredContent());
        return McpJson.MAPPER.getNodeFactory().textNode(text);
    }

    /**
     * The durable step of an {@code mcp_server} run of {@code server}: one {@code tool_call}, retried by
     * {@link #RETRY}.
     */
    public FunctionDefinition<McpToolCall, JsonNode> function(String server) {
        return FunctionDefinition.of(server, McpToolCall.class, JsonNode.class, call -> call(server, call))
                .withOptions(StepOptions.of(StepType.TOOL_CALL)
                        .withRetry(RETRY)
                        .withTimeout(requestTimeout.plusSeconds(10)));
    }

    /** One {@link #function} per configured server, by name: what the engine runs {@code mcp_server} runs with. */
    public Map<String, FunctionDefinition<?, ?>> functions() {
        Map<String, FunctionDefinition<?, ?>> out = new LinkedHashMap<>();
        configs.keySet().forEach(name -> out.put(name, function(name)));
        return out;
    }

    static String text(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) {
                if (c instanceof McpSchema.TextContent t) parts.add(t.text());
                else parts.add("[" + c.type() + " content]");
            }
        }
        return String.join("\n", parts);
    }

    private interface ClientCall<T> {
        T apply(McpSyncClient client);
    }

    private <T> T withClient(String server, ClientCall<T> action) {
        McpServerConfig config = configs.get(server);
        if (config == null) throw new IllegalArgumentException("no MCP server named '" + server + "' is configured");
        McpSyncClient client;
        try {
            client = clients.computeIfAbsent(server, k -> connect(config));
        } catch (RuntimeException e) {
            throw new McpUnavailableException(server, config.location(), e);
        }
        try {
            return action.apply(client);
        } catch (io.modelcontextprotocol.spec.McpError e) {
            // the server answered with a JSON-RPC error (an unknown tool, arguments it refuses): asking again changes
            // nothing
            throw new NonRetryableException(
                    REFUSED, "MCP server '" + server + "' refused the request: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the connection may be broken: the next call opens a new one
            if (clients.remove(server, client)) closeQuietly(client);
            throw new McpUnavailableException(server, config.location(), e);
        }
    }

    private McpSyncClient connect(McpServerConfig config) {
        McpClientTransport transport;
        if (config.stdio()) {
            ServerParameters params = ServerParameters.builder(config.command().get(0))
                    .args(config.command().subList(1, config.command().size()))
                    .build();
            transport = new StdioClientTransport(params, McpJson.JSON);
        } else {
            URI url = config.url();
            String base = url.getScheme() + "://" + url.getRawAuthority();
            String endpoint = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            transport = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(endpoint)
                    .jsonMapper(McpJson.JSON)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(clientInfo())
                .requestTimeout(requestTimeout)
                .initializationTimeout(Duration.ofSeconds(10))
                .jsonSchemaValidator(McpJson.VALIDATOR)
                .build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
        log.info("connected to MCP server '{}' at {}", config.name(), config.location());
        return client;
    }

    private static void closeQuietly(McpSyncClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            log.debug("closing an MCP client: {}", e.toString());
        }
    }

    @Override
    public void close() {
        clients.values().forEach(McpServers::closeQuietly);
        clients.clear();
    }
}
