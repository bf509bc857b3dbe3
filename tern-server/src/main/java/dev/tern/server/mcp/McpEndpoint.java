package dev.tern.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.engine.DefinitionInfo;
import dev.tern.engine.DefinitionKind;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.server.auth.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tern as an MCP server (Streamable HTTP, the official Java SDK's servlet transport): every workflow and agent is a
 * tool named as defined, with its generated input schema, and runs are resources ({@code tern://runs/{runId}}). The
 * HTTP layer mounts {@link #servlet()} at {@link #PATH} behind its bearer token.
 */
public final class McpEndpoint implements AutoCloseable {
    public static final String PATH = "/mcp";

    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;
    private final RunResources resources;
    private final SweeperSchedulers.Built<?> sweepers;

    private McpEndpoint(
            HttpServletStreamableServerTransportProvider transport,
            McpSyncServer server,
            RunResources resources,
            SweeperSchedulers.Built<?> sweepers) {
        this.transport = transport;
        this.server = server;
        this.resources = resources;
        this.sweepers = sweepers;
    }

    /**
     * The endpoint for the engine's definitions; {@code maxRequestBytes} bounds a message as the REST API bounds a
     * body.
     */
    public static McpEndpoint create(TernEngine engine, McpSettings settings, int maxRequestBytes) {
        SweeperSchedulers.Built<HttpServletStreamableServerTransportProvider> built =
                SweeperSchedulers.capturing(() -> transport(maxRequestBytes));
        HttpServletStreamableServerTransportProvider transport = built.value();
        RunResources resources = new RunResources(engine);
        RunCallHandler calls = new RunCallHandler(engine, settings.callWait(), resources);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(new McpSchema.Implementation("tern", version()))
                .instructions(
                        "Tern's agents and workflows as tools: each call is a durable run, visible in /v1/runs and "
                                + "as the resource "
                                + "tern://runs/{runId}.")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(true, false)
                        .build())
                .jsonMapper(McpJson.JSON)
                .jsonSchemaValidator(McpJson.VALIDATOR)
                // Tern validates arguments itself, naming the field, as the REST API does
                .validateToolInputs(false)
                .immediateExecution(true)
                .tools(tools(engine, calls))
                .resourceTemplates(resources.template())
                .build();
        resources.attach(server);
        return new McpEndpoint(transport, server, resources, built);
    }

    private static HttpServletStreamableServerTransportProvider transport(int maxRequestBytes) {
        return HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(PATH)
                .jsonMapper(McpJson.JSON)
                .keepAliveInterval(Duration.ofSeconds(15))
                .maxRequestSize(maxRequestBytes)
                // the caller McpFilter resolved: exchange.transportContext().get(Caller.ATTRIBUTE) in a handler
                .contextExtractor(request -> request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller
                        ? McpTransportContext.create(Map.of(Caller.ATTRIBUTE, caller))
                        : McpTransportContext.EMPTY)
                .build();
    }

    private static List<McpServerFeatures.SyncToolSpecification> tools(TernEngine engine, RunCallHandler calls) {
        List<McpServerFeatures.SyncToolSpecification> out = new ArrayList<>();
        for (DefinitionInfo info : engine.catalog().describe()) {
            RunnableDefinition definition = engine.catalog().find(info.name()).orElse(null);
            if (definition == null || DefinitionKind.of(definition.kind()) != info.kind()) continue;
            McpSchema.Tool.Builder tool = McpSchema.Tool.builder()
                    .name(definition.name())
                    .title(definition.name())
                    .description(description(definition))
                    .inputSchema(map(info.inputSchema()));
            if (definition.kind() == RunnableDefinition.Kind.AGENT) {
                tool.outputSchema(map(RUN_REF));
            } else if ("object".equals(info.outputSchema().path("type").asText())) {
                tool.outputSchema(map(outputOrRunRef(info.outputSchema())));
            }
            out.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(tool.build())
                    .callHandler((exchange, request) -> calls.call(exchange, request, definition))
                    .build());
        }
        return out;
    }

    /**
     * What a call answers when it returns a run to follow rather than an output: an agent's call, or a call that
     * outlived the wait.
     */
    static final ObjectNode RUN_REF = runRef();

    private static ObjectNode runRef() {
        ObjectNode schema = McpJson.MAPPER.createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("runId").put("type", "string");
        props.putObject("status").put("type", "string");
        props.putObject("resource").put("type", "string");
        schema.putArray("required").add("runId").add("status").add("resource");
        return schema;
    }

    /**
     * A workflow's output schema, or the run to follow when the call outlives the wait: an object schema with both as
     * {@code anyOf} branches (definitions moved to the root, where references point).
     */
    static ObjectNode outputOrRunRef(JsonNode output) {
        ObjectNode branch = output.deepCopy();
        ObjectNode schema = McpJson.MAPPER.createObjectNode().put("type", "object");
        JsonNode defs = branch.remove("$defs");
        branch.remove("$schema");
        schema.putArray("anyOf").add(branch).add(RUN_REF.deepCopy());
        if (defs != null) schema.set("$defs", defs);
        return schema;
    }

    static String description(RunnableDefinition d) {
        String own = d.description() == null
                ? ""
                : d.description().strip() + (d.description().strip().endsWith(".") ? " " : ". ");
        return switch (d.kind()) {
            case WORKFLOW ->
                own + "Runs the Tern workflow '" + d.name()
                        + "' as a durable run and returns its output; a run that takes "
                        + "longer than the server's wait is answered with its runId to follow (resource "
                        + "tern://runs/{runId}).";
            case AGENT ->
                own + "Starts the Tern agent '" + d.name()
                        + "' with these arguments as its input and returns its runId at once: "
                        + "agents are long-lived runs that react to events (POST /v1/runs/{runId}/events) until they "
                        + "end.";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode schema) {
        return McpJson.MAPPER.convertValue(schema, Map.class);
    }

    private static String version() {
        String version = McpEndpoint.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The servlet serving {@link #PATH}. */
    public HttpServlet servlet() {
        return transport;
    }

    @Override
    public void close() {
        try {
            resources.close();
            server.closeGracefully();
        } finally {
            sweepers.disposeSweepers();
        }
    }
}
