package dev.tern.agents;

import dev.tern.sdk.Nullable;
import java.util.List;

/**
 * A model call as its step records it: the model asked for, the conversation sent, the tools offered, and the sampling
 * parameters sent ({@code null}: the provider's defaults).
 */
public record ModelRequest(
        @Nullable String model,
        List<ChatEntry> messages,
        List<String> tools,
        @Nullable Double temperature,
        @Nullable Integer maxOutputTokens) {

    public ModelRequest(@Nullable String model, List<ChatEntry> messages, List<String> tools) {
        this(model, messages, tools, null, null);
    }

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
