package dev.tern.sdk;

import java.util.function.BooleanSupplier;

/** The context of an agent's run loop and event handlers. */
public interface AgentContext extends WorkflowContext {

    /**
     * Handles this run's events, in the order they arrived, until {@code condition} holds. The condition is checked
     * before each event; it normally reads state that handlers change. Waiting holds no thread once past a short grace
     * period.
     */
    void waitUntil(BooleanSupplier condition);
}
