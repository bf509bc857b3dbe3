package dev.tern.sdk;

import java.util.Objects;

/**
 * A named, durable workflow with a typed input and output, and optionally a default webhook URL
 * told of every status change of its runs (see {@link #withWebhookUrl}).
 */
public record WorkflowDefinition<I, O>(String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body, String webhookUrl,
    Budget budget, boolean requiresModel)
    implements RunnableDefinition {

  public WorkflowDefinition(String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body, String webhookUrl) {
    this(name, inputType, outputType, body, webhookUrl, Budget.NONE, false);
  }

  public WorkflowDefinition {
    Names.check(name);
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(outputType, "outputType");
    Objects.requireNonNull(body, "body");
    WebhookUrls.check(webhookUrl);
    if (budget == null) budget = Budget.NONE;
  }

  public static <I, O> WorkflowDefinition<I, O> of(
      String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body) {
    return new WorkflowDefinition<>(name, inputType, outputType, body, null);
  }

  /** The same workflow, whose runs POST their status changes to {@code url} unless scheduled with a webhook URL of their own. */
  public WorkflowDefinition<I, O> withWebhookUrl(String url) {
    return new WorkflowDefinition<>(name, inputType, outputType, body, url, budget, requiresModel);
  }

  /** The same workflow, whose runs may spend at most {@code value} on model calls unless scheduled with a budget. */
  public WorkflowDefinition<I, O> withBudget(Budget value) {
    return new WorkflowDefinition<>(name, inputType, outputType, body, webhookUrl, value, requiresModel);
  }

  /** The same workflow, marked as calling a language model (refused on a node with none configured). */
  public WorkflowDefinition<I, O> withModelRequired() {
    return new WorkflowDefinition<>(name, inputType, outputType, body, webhookUrl, budget, true);
  }

  @Override
  public Kind kind() {
    return Kind.WORKFLOW;
  }
}
