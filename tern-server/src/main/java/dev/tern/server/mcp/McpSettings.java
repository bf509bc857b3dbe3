package dev.tern.server.mcp;

import dev.tern.agents.mcp.McpServers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * MCP on a node: the external servers its {@code mcp_server} runs call, and how long a {@code tools/call} on
 * {@code /mcp} waits for its run before answering with the run id to follow.
 */
public record McpSettings(McpServers servers, Duration callWait) {
    public static final Duration DEFAULT_CALL_WAIT = Duration.ofSeconds(60);

    public McpSettings {
        Objects.requireNonNull(servers, "servers");
        if (callWait == null || callWait.isNegative()) throw new IllegalArgumentException("callWait must be 0 or more");
    }

    /** No external servers; calls wait {@link #DEFAULT_CALL_WAIT}. */
    public static McpSettings none() {
        return new McpSettings(new McpServers(List.of()), DEFAULT_CALL_WAIT);
    }
}
