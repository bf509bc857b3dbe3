package dev.tern.agents;

import dev.tern.sdk.Nullable;
import java.util.List;

/** A model call as its step records it: the model asked for, the conversation sent, and the tools offered. */
public record ModelRequest(@Nullable String model, List<ChatEntry> messages, List<String> tools) {

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
