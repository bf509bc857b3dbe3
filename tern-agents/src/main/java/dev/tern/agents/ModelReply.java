package dev.tern.agents;

import dev.tern.sdk.Nullable;
import java.util.List;

/**
 * What one model call returned, as checkpointed: the text and/or the tools it wants called, why it stopped
 * ({@code stop}, {@code tool_calls}, {@code length}…), the model that answered, the tokens it reported and what they
 * cost.
 */
public record ModelReply(
        @Nullable String text,
        @Nullable List<ToolCall> toolCalls,
        @Nullable String finishReason,
        @Nullable String model,
        long inputTokens,
        long outputTokens,
        double costUsd) {

    public ModelReply {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Whether the model asked for tools (the step is then a decision, not a thought). */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
