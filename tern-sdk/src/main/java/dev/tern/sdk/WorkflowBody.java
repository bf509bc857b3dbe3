package dev.tern.sdk;

/**
 * The deterministic code of a workflow. It may be run again from the top on replay, so all side effects go through
 * {@link WorkflowContext} steps and all time and randomness through the context.
 */
@FunctionalInterface
public interface WorkflowBody<I, O> {
    O run(WorkflowContext ctx, I input) throws Exception;
}
