package dev.tern.agents;

import dev.tern.sdk.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation with a model, as recorded in a model call's checkpoint: a system prompt, the user's
 * words, the assistant's reply (text and/or tool calls), or a tool's result answering one of those calls.
 */
public record ChatEntry(
        Role role,
        @Nullable String content,
        @Nullable List<ToolCall> toolCalls,
        @Nullable String toolCallId,
        @Nullable String toolName) {

    /** Who speaks. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT,
        TOOL
    }

    public ChatEntry {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null || toolCalls.isEmpty() ? null : List.copyOf(toolCalls);
    }

    public static ChatEntry system(String text) {
        return new ChatEntry(Role.SYSTEM, text, null, null, null);
    }

    public static ChatEntry user(String text) {
        return new ChatEntry(Role.USER, text, null, null, null);
    }

    public static ChatEntry assistant(String text) {
        return new ChatEntry(Role.ASSISTANT, text, null, null, null);
    }

    /** The assistant's side of a model reply, tool calls included. */
    public static ChatEntry assistant(ModelReply reply) {
        return new ChatEntry(Role.ASSISTANT, reply.text(), reply.toolCalls(), null, null);
    }

    public static ChatEntry toolResult(ToolCall call, String text) {
        return new ChatEntry(Role.TOOL, text, null, call.id(), call.name());
    }

    /** A message with a role named as in OpenAI's protocol: {@code system}, {@code user}, {@code assistant}. */
    public static ChatEntry of(String role, String text) {
        return switch (role == null ? "" : role) {
            case "system" -> system(text);
            case "user" -> user(text);
            case "assistant" -> assistant(text);
            default ->
                throw new IllegalArgumentException("role must be 'system', 'user' or 'assistant', was '" + role + "'");
        };
    }
}
