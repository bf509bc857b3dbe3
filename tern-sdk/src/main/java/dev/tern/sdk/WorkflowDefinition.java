package dev.tern.sdk;

import java.util.Objects;

/** A named, durable workflow with a typed input and output. */
public record WorkflowDefinition<I, O>(String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body)
    implements RunnableDefinition {

  public WorkflowDefinition {
    Names.check(name);
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(outputType, "outputType");
    Objects.requireNonNull(body, "body");
  }

  public static <I, O> WorkflowDefinition<I, O> of(
      String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body) {
    return new WorkflowDefinition<>(name, inputType, outputType, body);
  }

  @Override
  public Kind kind() {
    return Kind.WORKFLOW;
  }
}
