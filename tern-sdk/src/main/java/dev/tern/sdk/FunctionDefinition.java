package dev.tern.sdk;

import java.util.Objects;

/**
 * A named unit of side-effecting work (an LLM call, an HTTP call, a tool). Workflows run it as a step through
 * {@link WorkflowContext#call}: its result is checkpointed, and it is retried and bounded by its {@link StepOptions}.
 */
public record FunctionDefinition<I, O>(
        String name, Class<I> inputType, Class<O> outputType, StepOptions options, FunctionBody<I, O> body) {

    public FunctionDefinition {
        Names.check(name);
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(body, "body");
    }

    public static <I, O> FunctionDefinition<I, O> of(
            String name, Class<I> inputType, Class<O> outputType, FunctionBody<I, O> body) {
        return new FunctionDefinition<>(name, inputType, outputType, StepOptions.defaults(), body);
    }

    public FunctionDefinition<I, O> withOptions(StepOptions value) {
        return new FunctionDefinition<>(name, inputType, outputType, value, body);
    }

    public FunctionDefinition<I, O> withRetry(RetryPolicy value) {
        return withOptions(options.withRetry(value));
    }

    /**
     * Caps this function cluster-wide: at most {@code maxConcurrent} at once and {@code perSecond} starts per second (0
     * = no cap).
     */
    public FunctionDefinition<I, O> withLimit(int maxConcurrent, double perSecond) {
        return withOptions(options.withLimit(new Limit(name, maxConcurrent, perSecond)));
    }

    /** Puts this function in a shared queue's limit, e.g. {@code Limit.queue("llm", 5, 10)}. */
    public FunctionDefinition<I, O> withLimit(Limit value) {
        return withOptions(options.withLimit(value));
    }
}
