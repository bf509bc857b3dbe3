package dev.tern.examples;

import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import dev.tern.sdk.StepUsage;
import dev.tern.sdk.WorkflowDefinition;

/**
 * {@code approval}: drafts an announcement, asks a human to approve it, and publishes it or fails with the reviewer's
 * comment. The run is {@code awaiting-human} (holding no thread) until someone answers {@code {"approved": true|false,
 * "comment": "..."}} over the API.
 */
public final class ApprovalWorkflow {
    public record Input() {}

    public record Answer(boolean approved, @Nullable String comment) {}

    public record Output(String published, @Nullable String comment) {}

    public static final WorkflowDefinition<Input, Output> DEFINITION =
            WorkflowDefinition.of("approval", Input.class, Output.class, (ctx, input) -> {
                String draft = ctx.step("draft", StepOptions.of(StepType.MESSAGE), String.class, () -> {
                    StepUsage.report(42, 17, 0.0003);
                    return "Tern 1.0 is out: durable agents on one command.";
                });
                Answer answer = ctx.askHuman("Publish this announcement? \"" + draft + "\"", Answer.class);
                if (!answer.approved()) {
                    throw new NonRetryableException("the reviewer rejected the draft"
                            + (answer.comment() == null ? "" : ": " + answer.comment()));
                }
                String published = ctx.step(
                        "publish", StepOptions.of(StepType.TOOL_CALL), String.class, () -> "published: " + draft);
                return new Output(published, answer.comment());
            });

    private ApprovalWorkflow() {}
}
