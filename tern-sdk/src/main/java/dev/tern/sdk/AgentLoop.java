package dev.tern.sdk;

/** An agent's run loop: typically {@code ctx.waitUntil(() -> state.ended())}; the run ends when it returns. */
@FunctionalInterface
public interface AgentLoop<I, S, O> {
    O run(AgentContext ctx, S state, I input) throws Exception;
}
