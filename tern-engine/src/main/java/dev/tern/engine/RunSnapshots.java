package dev.tern.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.sdk.Budget;
import dev.tern.sdk.ModelChoice;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunnableDefinition;

/**
 * What a run records at scheduling about how it will run, so its behaviour can be explained after the defaults changed:
 * the execution profile (its definition and revision, the model and its parameters, timeouts, limits, queue) and the
 * run policy (retry policy of its steps by default, deadline, budget, idempotency key).
 */
final class RunSnapshots {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunSnapshots() {}

    /** The run's release: its revision and channel with both snapshots. */
    static RunRelease release(
            EngineConfig config, RunnableDefinition definition, String revision, String channel, RunOptions options) {
        return RunRelease.of(revision)
                .withChannel(channel)
                .withSnapshots(profile(config, definition, revision, options), policy(definition, options));
    }

    static ObjectNode profile(EngineConfig config, RunnableDefinition definition, String revision, RunOptions options) {
        ObjectNode p = NODES.objectNode()
                .put("resourceType", definition.kind().wireName())
                .put("definition", definition.name())
                .put("revision", revision)
                .put("queue", "default");
        ModelChoice choice = options.model();
        ModelEndpoint endpoint = config.model();
        if (choice != null || (endpoint != null && definition.requiresModel())) {
            ObjectNode m = p.putObject("model");
            m.put("name", choice != null && choice.model() != null ? choice.model() : endpoint.model());
            if (endpoint != null) m.put("baseUrl", endpoint.baseUrl());
            if (choice != null && choice.temperature() != null) m.put("temperature", choice.temperature());
            if (choice != null && choice.maxOutputTokens() != null) m.put("maxOutputTokens", choice.maxOutputTokens());
        }
        p.putObject("timeouts")
                .put("leaseMs", config.leaseDuration().toMillis())
                .put("suspendGraceMs", config.suspendGrace().toMillis());
        p.putObject("limits")
                .put("maxActiveRunsPerNode", config.maxActiveRuns())
                .put("continueAsNewAfterSteps", config.continueAsNewAfterSteps());
        return p;
    }

    static ObjectNode policy(RunnableDefinition definition, RunOptions options) {
        ObjectNode p = NODES.objectNode();
        RetryPolicy retry = RetryPolicy.defaults();
        p.putObject("retryPolicy")
                .put("maxAttempts", retry.maxAttempts())
                .put("initialIntervalMs", retry.initialInterval().toMillis())
                .put("backoffCoefficient", retry.backoffCoefficient())
                .put("maxIntervalMs", retry.maxInterval().toMillis());
        if (options.deadlineAt() != null)
            p.put("deadlineAt", options.deadlineAt().toString());
        Budget budget = options.budget() != null ? options.budget() : definition.budget();
        if (budget != null && budget.isCapped()) {
            ObjectNode b = p.putObject("budget");
            if (budget.maxCostUsd() != null) b.put("maxCostUsd", budget.maxCostUsd());
            if (budget.maxTokens() != null) b.put("maxTokens", budget.maxTokens());
            b.put("onExceeded", budget.onExceeded().wireName());
        }
        if (options.idempotencyKey() != null) p.put("idempotencyKey", options.idempotencyKey());
        return p;
    }
}
