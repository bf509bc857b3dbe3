package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.agents.mcp.McpServers;
import dev.tern.agents.mcp.McpUnavailableException;
import dev.tern.engine.CallKind;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunRequest;
import dev.tern.engine.TernEngine;
import dev.tern.engine.Violation;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/runs} for runs that make one call: {@code "resourceType": "tool"} runs the registered function
 * {@code name}; {@code "resourceType": "mcp_server"} calls {@code tool} of the configured MCP server {@code server}
 * with {@code input} as its arguments. An unknown function, server or tool is a 404 naming it; arguments that break the
 * tool's schema are a 400 naming the field. A server that cannot be reached now is not refused: the run retries it,
 * then fails.
 */
final class CallRuns {
    static final List<String> TOOL_FIELDS = RunOptionsBody.fieldsWith("resourceType", "name", "input");
    static final List<String> MCP_FIELDS = RunOptionsBody.fieldsWith("resourceType", "server", "tool", "input");
    private static final Logger log = LoggerFactory.getLogger(CallRuns.class);

    private final TernEngine engine;
    private final McpServers servers;

    CallRuns(TernEngine engine, McpServers servers) {
        this.engine = engine;
        this.servers = servers;
    }

    /** The run of the body of a {@code tool} call. */
    RunRequest tool(ObjectNode body, RunOptions options) {
        Bodies.requireKnownFields(body, TOOL_FIELDS);
        String name = Bodies.requiredText(body, "name");
        if (engine.catalog().function(CallKind.TOOL, name).isEmpty()) {
            throw ApiException.notFound("no function named '" + name + "' is registered ($.name)");
        }
        return RunRequest.call(CallKind.TOOL, name, Bodies.objectField(body, "input"), options);
    }

    /**
     * The run of the body of an {@code mcp_server} call, whose tool and arguments are checked if the server answers.
     */
    RunRequest mcp(ObjectNode body, RunOptions options) {
        Bodies.requireKnownFields(body, MCP_FIELDS);
        String server = Bodies.requiredText(body, "server");
        String tool = Bodies.requiredText(body, "tool");
        ObjectNode arguments = Bodies.objectField(body, "input");
        if (engine.catalog().function(CallKind.MCP_SERVER, server).isEmpty()) {
            throw ApiException.notFound("no MCP server named '" + server + "' is configured ($.server); configured: "
                    + engine.catalog().mcpServers());
        }
        checkTool(server, tool, arguments);
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("tool", tool);
        input.set("arguments", arguments);
        return RunRequest.call(CallKind.MCP_SERVER, server, input, options);
    }

    /** Refuses a tool the server does not offer, or arguments that break its schema, when the server answers now. */
    private void checkTool(String server, String tool, ObjectNode arguments) {
        List<McpSchema.Tool> tools;
        try {
            tools = servers.tools(server);
        } catch (McpUnavailableException e) {
            log.info("scheduling a call of '{}' on MCP server '{}' unchecked: {}", tool, server, e.getMessage());
            return;
        }
        McpSchema.Tool found = tools.stream()
                .filter(t -> t.name().equals(tool))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("MCP server '" + server + "' has no tool named '" + tool
                        + "' ($.tool); its tools: "
                        + tools.stream().map(McpSchema.Tool::name).sorted().toList()));
        if (found.inputSchema() == null) return;
        JsonNode schema = McpJson.MAPPER.valueToTree(found.inputSchema());
        List<Violation> violations = engine.catalog().validate(schema, arguments).stream()
                .map(v -> new Violation(v.field().replaceFirst("^\\$", "\\$.input"), v.message()))
                .toList();
        if (!violations.isEmpty()) {
            throw new InvalidInputException(
                    "input does not match the schema of tool '" + tool + "' of MCP server '" + server + "'",
                    violations);
        }
    }
}
