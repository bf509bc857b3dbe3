package dev.tern.examples.assistant;

import dev.tern.agents.ChatEntry;
import dev.tern.agents.LlmAgent;
import dev.tern.examples.ChatAgent.EndEvent;
import dev.tern.examples.ChatAgent.Message;
import dev.tern.examples.ChatAgent.MessagesEvent;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code assistant}: like {@code chat} (events {@code messages} and {@code end}), but each user message is answered by
 * the configured language model through the agent loop, with the tools {@code calculate} and {@code current_time}. The
 * conversation is its state and its output.
 */
public final class AssistantAgent {
    public record Input(@Nullable List<Message> messages) {}

    public record Output(List<Message> messages) {}

    /** The conversation so far; rebuilt by replay after a restart. */
    static final class State {
        final List<Message> messages = new ArrayList<>();
        boolean ended;
    }

    // README:start
    static final LlmAgent LOOP = LlmAgent.builder()
            .system("You are Tern's demo assistant. Answer briefly. Use the calculate tool for arithmetic and "
                    + "current_time for dates and times.")
            .tools(AssistantTools.CALCULATE, AssistantTools.CURRENT_TIME)
            .maxTurns(8)
            .build();

    public static final AgentDefinition<Input, State, Output> DEFINITION =
            AgentDefinition.<Input, State, Output>builder("assistant", Input.class, Output.class, input -> {
                        State state = new State();
                        if (input.messages() != null) state.messages.addAll(input.messages());
                        return state;
                    })
                    .requiresModel()
                    .on("messages", MessagesEvent.class, (ctx, state, event) -> {
                        state.messages.addAll(event.messages());
                        List<ChatEntry> conversation = state.messages.stream()
                                .map(m -> ChatEntry.of(m.role(), m.content()))
                                .toList();
                        Message reply = new Message(
                                "assistant", LOOP.respond(ctx, conversation).text());
                        state.messages.add(reply);
                        return reply;
                    })
                    .on("end", EndEvent.class, (ctx, state, event) -> {
                        state.ended = true;
                        return event;
                    })
                    .run((ctx, state, input) -> {
                        ctx.waitUntil(() -> state.ended);
                        return new Output(List.copyOf(state.messages));
                    });
    // README:end

    private AssistantAgent() {}
}
