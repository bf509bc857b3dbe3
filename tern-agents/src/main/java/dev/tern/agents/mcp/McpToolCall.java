package dev.tern.agents.mcp;

import dev.tern.sdk.Nullable;
import java.util.Map;

/** One call of a tool of an MCP server: the input of an {@code mcp_server} run and of its step. */
public record McpToolCall(String tool, @Nullable Map<String, Object> arguments) {
    public McpToolCall {
        arguments = arguments == null ? Map.of() : arguments;
    }
}
