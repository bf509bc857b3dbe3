package dev.tern.sdk;

import java.util.Objects;

/**
 * A named, durable workflow with a typed input and output, and optionally a default webhook URL told of every status
 * change of its runs (see {@link #withWebhookUrl}), a description (see {@link #withDescription}) and a version (see
 * {@link #version(String)}; without one the revision is derived from its name and types).
 */
public record WorkflowDefinition<I, O>(
        String name,
        Class<I> inputType,
        Class<O> outputType,
        WorkflowBody<I, O> body,
        String webhookUrl,
        Budget budget,
        boolean requiresModel,
        String description,
        String revision)
        implements RunnableDefinition {

    public WorkflowDefinition(
            String name,
            Class<I> inputType,
            Class<O> outputType,
            WorkflowBody<I, O> body,
            String webhookUrl,
            Budget budget,
            boolean requiresModel,
            String description) {
        this(name, inputType, outputType, body, webhookUrl, budget, requiresModel, description, null);
    }

    public WorkflowDefinition(
            String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body, String webhookUrl) {
        this(name, inputType, outputType, body, webhookUrl, Budget.NONE, false, null, null);
    }

    public WorkflowDefinition {
        Names.check(name);
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(body, "body");
        WebhookUrls.check(webhookUrl);
        if (budget == null) budget = Budget.NONE;
        if (description != null && description.isBlank()) description = null;
        revision = Revisions.check(revision);
        if (revision == null)
            revision = Revisions.derive(Kind.WORKFLOW, name, inputType, outputType, java.util.List.of());
    }

    public static <I, O> WorkflowDefinition<I, O> of(
            String name, Class<I> inputType, Class<O> outputType, WorkflowBody<I, O> body) {
        return new WorkflowDefinition<>(name, inputType, outputType, body, null);
    }

    /**
     * The same workflow, whose runs POST their status changes to {@code url} unless scheduled with a webhook URL of
     * their own.
     */
    public WorkflowDefinition<I, O> withWebhookUrl(String url) {
        return new WorkflowDefinition<>(
                name, inputType, outputType, body, url, budget, requiresModel, description, revision);
    }

    /** The same workflow, whose runs may spend at most {@code value} on model calls unless scheduled with a budget. */
    public WorkflowDefinition<I, O> withBudget(Budget value) {
        return new WorkflowDefinition<>(
                name, inputType, outputType, body, webhookUrl, value, requiresModel, description, revision);
    }

    /** The same workflow, marked as calling a language model (refused on a node with none configured). */
    public WorkflowDefinition<I, O> withModelRequired() {
        return new WorkflowDefinition<>(
                name, inputType, outputType, body, webhookUrl, budget, true, description, revision);
    }

    /** The same workflow, described as {@code value} (shown to MCP clients as the tool's description). */
    public WorkflowDefinition<I, O> withDescription(String value) {
        return new WorkflowDefinition<>(
                name, inputType, outputType, body, webhookUrl, budget, requiresModel, value, revision);
    }

    /**
     * The same workflow as revision {@code value} (e.g. {@code "2026-12-01"}): runs started on it keep replaying on it,
     * so a process may register an old and a new revision side by side while old runs finish.
     */
    public WorkflowDefinition<I, O> version(String value) {
        return new WorkflowDefinition<>(
                name, inputType, outputType, body, webhookUrl, budget, requiresModel, description, check(value));
    }

    private static String check(String value) {
        if (value == null) throw new IllegalArgumentException("version must not be null");
        return Revisions.check(value);
    }

    @Override
    public Kind kind() {
        return Kind.WORKFLOW;
    }
}
