package dev.tern.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.internal.AgentJson;
import dev.tern.sdk.Nullable;

/**
 * What a tool call came to, as its {@code tool_result} step records it and the model reads it: a result, or an error.
 */
public record ToolOutcome(
        String toolCallId,
        String tool,
        @Nullable JsonNode result,
        @Nullable String error) {

    public boolean isError() {
        return error != null;
    }

    /** The text the model gets back. */
    public String text() {
        return isError() ? AgentJson.write(java.util.Map.of("error", error)) : AgentJson.asText(result);
    }
}
