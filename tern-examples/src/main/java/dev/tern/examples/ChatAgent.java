package dev.tern.examples;

import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.Limit;
import dev.tern.sdk.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chat}: Restack's chat agent. Each {@code messages} event appends the user's messages and a reply computed in a
 * step; the {@code end} event ends the run, whose output is the conversation.
 */
public final class ChatAgent {
    public record Message(String role, String content) {}

    public record Input(@Nullable List<Message> messages) {}

    public record MessagesEvent(List<Message> messages) {}

    public record EndEvent(@Nullable Boolean end) {}

    public record Output(List<Message> messages) {}

    /** The conversation so far; rebuilt by replay after a restart. */
    static final class State {
        final List<Message> messages = new ArrayList<>();
        boolean ended;
    }

    record Conversation(List<Message> messages) {}

    /** A deterministic local reply: no model, no network. */
    static final FunctionDefinition<Conversation, Message> REPLY = FunctionDefinition.of(
                    "chatReply", Conversation.class, Message.class, conversation -> {
                        List<Message> all = conversation.messages();
                        String last =
                                all.isEmpty() ? "" : all.get(all.size() - 1).content();
                        long turns = all.stream()
                                .filter(m -> m.role().equals("user"))
                                .count();
                        return new Message("assistant", "You said: \"" + last + "\" (turn " + turns + ")");
                    })
            .withLimit(Limit.queue("llm", 2, 2));

    public static final AgentDefinition<Input, State, Output> DEFINITION =
            AgentDefinition.<Input, State, Output>builder("chat", Input.class, Output.class, input -> {
                        State state = new State();
                        if (input.messages() != null) state.messages.addAll(input.messages());
                        return state;
                    })
                    .on("messages", MessagesEvent.class, (ctx, state, event) -> {
                        state.messages.addAll(event.messages());
                        Message reply = ctx.call(REPLY, new Conversation(List.copyOf(state.messages)));
                        state.messages.add(reply);
                        return new Output(List.copyOf(state.messages));
                    })
                    .on("end", EndEvent.class, (ctx, state, event) -> {
                        state.ended = true;
                        return event;
                    })
                    .run((ctx, state, input) -> {
                        ctx.waitUntil(() -> state.ended);
                        return new Output(List.copyOf(state.messages));
                    });

    private ChatAgent() {}
}
