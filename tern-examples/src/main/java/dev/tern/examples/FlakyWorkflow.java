package dev.tern.examples;

import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code flaky}: a step that fails its first {@code failures} attempts, then succeeds. */
public final class FlakyWorkflow {
    public record Input(int failures) {}

    public record Output(int attempts) {}

    public static final WorkflowDefinition<Input, Output> DEFINITION = WorkflowDefinition.of(
                    "flaky", Input.class, Output.class, (ctx, input) -> {
                        if (input.failures() < 0 || input.failures() > 50) {
                            throw new IllegalArgumentException("failures must be between 0 and 50");
                        }
                        AtomicInteger tries = new AtomicInteger();
                        StepOptions options = StepOptions.defaults()
                                .withRetry(RetryPolicy.defaults()
                                        .withMaxAttempts(input.failures() + 1)
                                        .withInitialInterval(Duration.ofMillis(100))
                                        .withMaxInterval(Duration.ofSeconds(1)));
                        int attempts = ctx.step("unreliable", options, Integer.class, () -> {
                            int attempt = tries.incrementAndGet();
                            if (attempt <= input.failures())
                                throw new IllegalStateException(
                                        "simulated failure " + attempt + " of " + input.failures());
                            return attempt;
                        });
                        return new Output(attempts);
                    })
            .withDescription("Runs a step that fails the given number of times before it succeeds, to show retries");

    private FlakyWorkflow() {}
}
