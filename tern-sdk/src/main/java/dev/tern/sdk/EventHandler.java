package dev.tern.sdk;

/**
 * Reacts to one named event sent to a running agent. It may run steps through the context and change the agent's state;
 * its return value is recorded in the run's history.
 */
@FunctionalInterface
public interface EventHandler<S, E> {
    Object handle(AgentContext ctx, S state, E event) throws Exception;
}
