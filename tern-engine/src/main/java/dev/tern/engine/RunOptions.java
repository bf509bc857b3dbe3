package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.Budget;
import java.time.Duration;
import java.time.Instant;

/**
 * How a run is scheduled, beyond its input: an idempotency key (the same key returns the same run), a deadline after
 * which the run fails with a timeout, the conversation thread it belongs to, a webhook URL told of every status change,
 * and what it may spend on model calls ({@code null}: its definition's budget), and who asked for the run
 * ({@code caller}, a JSON object such as an MCP client's name and version, recorded in the run's {@code run_created}
 * event), the model its model calls use instead of the configured one ({@code model}), and the release channel that
 * picks the revision it starts on ({@code releaseChannel}; null: the node's). Every field is optional.
 */
public record RunOptions(
        String idempotencyKey,
        Instant deadlineAt,
        String threadId,
        String webhookUrl,
        Budget budget,
        JsonNode caller,
        dev.tern.sdk.ModelChoice model,
        String orgId,
        String releaseChannel) {
    private static final RunOptions NONE = new RunOptions(null, null, null, null, null, null, null, null, null);

    public RunOptions(
            String idempotencyKey,
            Instant deadlineAt,
            String threadId,
            String webhookUrl,
            Budget budget,
            JsonNode caller,
            dev.tern.sdk.ModelChoice model,
            String orgId) {
        this(idempotencyKey, deadlineAt, threadId, webhookUrl, budget, caller, model, orgId, null);
    }

    public RunOptions(
            String idempotencyKey,
            Instant deadlineAt,
            String threadId,
            String webhookUrl,
            Budget budget,
            JsonNode caller) {
        this(idempotencyKey, deadlineAt, threadId, webhookUrl, budget, caller, null, null, null);
    }

    public RunOptions(String idempotencyKey, Instant deadlineAt, String threadId, String webhookUrl) {
        this(idempotencyKey, deadlineAt, threadId, webhookUrl, null, null, null, null, null);
    }

    public RunOptions(String idempotencyKey, Instant deadlineAt, String threadId, String webhookUrl, Budget budget) {
        this(idempotencyKey, deadlineAt, threadId, webhookUrl, budget, null, null, null, null);
    }

    public static RunOptions none() {
        return NONE;
    }

    public RunOptions withIdempotencyKey(String value) {
        return new RunOptions(value, deadlineAt, threadId, webhookUrl, budget, caller, model, orgId, releaseChannel);
    }

    public RunOptions withDeadline(Instant value) {
        return new RunOptions(
                idempotencyKey, value, threadId, webhookUrl, budget, caller, model, orgId, releaseChannel);
    }

    /** A deadline {@code timeout} after {@code now}. */
    public RunOptions withTimeout(Duration timeout, Instant now) {
        return withDeadline(now.plus(timeout));
    }

    public RunOptions withThreadId(String value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, value, webhookUrl, budget, caller, model, orgId, releaseChannel);
    }

    public RunOptions withWebhookUrl(String value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, threadId, value, budget, caller, model, orgId, releaseChannel);
    }

    public RunOptions withBudget(Budget value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, threadId, webhookUrl, value, caller, model, orgId, releaseChannel);
    }

    /** Who asked for the run: a JSON object recorded with its {@code run_created} event. */
    public RunOptions withCaller(JsonNode value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, threadId, webhookUrl, budget, value, model, orgId, releaseChannel);
    }

    /** The model (and parameters) the run's model calls use instead of the configured one. */
    public RunOptions withModel(dev.tern.sdk.ModelChoice value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, threadId, webhookUrl, budget, caller, value, orgId, releaseChannel);
    }

    /**
     * The organisation the run belongs to (null: {@link RunRecord#DEFAULT_ORG}); its idempotency key is unique within
     * it.
     */
    public RunOptions withOrg(String value) {
        return new RunOptions(
                idempotencyKey, deadlineAt, threadId, webhookUrl, budget, caller, model, value, releaseChannel);
    }

    /** The release channel that picks the revision the run starts on (null: the scheduling node's). */
    public RunOptions withReleaseChannel(String value) {
        return new RunOptions(idempotencyKey, deadlineAt, threadId, webhookUrl, budget, caller, model, orgId, value);
    }
}
