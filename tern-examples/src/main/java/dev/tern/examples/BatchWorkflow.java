package dev.tern.examples;

import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;

/** {@code batch}: processes {@code items} one step each, pausing durably between them. */
public final class BatchWorkflow {
    public record Input(int items, int pauseMillis) {}

    public record Output(int processed, long checksum) {}

    public static final WorkflowDefinition<Input, Output> DEFINITION =
            WorkflowDefinition.of("batch", Input.class, Output.class, (ctx, input) -> {
                if (input.items() < 0 || input.items() > 1_000)
                    throw new IllegalArgumentException("items must be between 0 and 1000");
                long checksum = 0;
                for (int i = 0; i < input.items(); i++) {
                    int item = i;
                    checksum += ctx.step("process-" + i, Long.class, () -> (long) item * item);
                    if (input.pauseMillis() > 0) ctx.sleep(Duration.ofMillis(input.pauseMillis()));
                }
                return new Output(input.items(), checksum);
            });

    private BatchWorkflow() {}
}
