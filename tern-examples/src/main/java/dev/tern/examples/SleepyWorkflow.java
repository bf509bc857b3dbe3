package dev.tern.examples;

import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;

/** {@code sleepy}: sleeps durably for {@code seconds}, surviving restarts. */
public final class SleepyWorkflow {
    public record Input(int seconds) {}

    public record Output(int sleptSeconds) {}

    public static final WorkflowDefinition<Input, Output> DEFINITION = WorkflowDefinition.of(
                    "sleepy", Input.class, Output.class, (ctx, input) -> {
                        if (input.seconds() < 0) throw new IllegalArgumentException("seconds must not be negative");
                        ctx.sleep(Duration.ofSeconds(input.seconds()));
                        return new Output(input.seconds());
                    })
            .withDescription("Sleeps durably for the given number of seconds");

    private SleepyWorkflow() {}
}
