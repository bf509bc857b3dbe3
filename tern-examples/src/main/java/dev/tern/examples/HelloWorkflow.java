package dev.tern.examples;

import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.WorkflowDefinition;

/** {@code hello}: greets by name in two steps. */
public final class HelloWorkflow {
    public record Input(String name) {}

    public record Output(String message) {}

    record Greeting(String salutation, String name) {}

    static final FunctionDefinition<String, String> CHOOSE_SALUTATION =
            FunctionDefinition.of("chooseSalutation", String.class, String.class, name -> "Hello");

    static final FunctionDefinition<Greeting, String> FORMAT_GREETING = FunctionDefinition.of(
            "formatGreeting", Greeting.class, String.class, g -> g.salutation() + ", " + g.name() + "!");

    public static final WorkflowDefinition<Input, Output> DEFINITION = WorkflowDefinition.of(
                    "hello", Input.class, Output.class, (ctx, input) -> {
                        String salutation = ctx.call(CHOOSE_SALUTATION, input.name());
                        String message = ctx.call(FORMAT_GREETING, new Greeting(salutation, input.name()));
                        return new Output(message);
                    })
            .withDescription("Greets a person by name");

    private HelloWorkflow() {}
}
