package dev.tern.examples;

import dev.tern.sdk.AgentDefinition;
import java.util.ArrayList;
import java.util.List;

/** {@code echo}: the README's first agent. Shouts back each {@code say} event in a durable step. */
public final class EchoAgent {
    // README:start
    public record Start() {}

    public record Say(String text) {}

    public record Transcript(List<String> lines) {}

    static final class State {
        final List<String> lines = new ArrayList<>();
        boolean done;
    }

    public static final AgentDefinition<Start, State, Transcript> DEFINITION =
            AgentDefinition.<Start, State, Transcript>builder(
                            "echo", Start.class, Transcript.class, start -> new State())
                    .on("say", Say.class, (ctx, state, say) -> {
                        String line =
                                ctx.step("shout", String.class, () -> say.text().toUpperCase() + "!");
                        state.lines.add(line);
                        return line;
                    })
                    .on("end", Start.class, (ctx, state, end) -> state.done = true)
                    .run((ctx, state, start) -> {
                        ctx.waitUntil(() -> state.done);
                        return new Transcript(state.lines);
                    });
    // README:end

    private EchoAgent() {}
}
