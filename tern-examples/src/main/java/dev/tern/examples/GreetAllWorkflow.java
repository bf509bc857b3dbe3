package dev.tern.examples;

import dev.tern.sdk.ChildRun;
import dev.tern.sdk.StepCall;
import dev.tern.sdk.WorkflowDefinition;
import java.util.List;

/**
 * {@code greetAll}: fans out one child {@code hello} run per name, measures the names in parallel steps meanwhile, and
 * joins both. Cancelling it cancels the children.
 */
public final class GreetAllWorkflow {
    public record Input(List<String> names) {}

    public record Output(List<String> messages, int totalLetters) {}

    public static final WorkflowDefinition<Input, Output> DEFINITION =
            WorkflowDefinition.of("greetAll", Input.class, Output.class, (ctx, input) -> {
                if (input.names().size() > 100) throw new IllegalArgumentException("at most 100 names");
                List<ChildRun> children = input.names().stream()
                        .map(name -> ctx.startChild("hello", new HelloWorkflow.Input(name)))
                        .toList();
                List<Integer> lengths = ctx.parallel(input.names().stream()
                        .map(name -> StepCall.of("measure-" + name, Integer.class, name::length))
                        .toList());
                List<String> messages = children.stream()
                        .map(child -> ctx.awaitChild(child, HelloWorkflow.Output.class)
                                .message())
                        .toList();
                return new Output(
                        messages, lengths.stream().mapToInt(Integer::intValue).sum());
            });

    private GreetAllWorkflow() {}
}
