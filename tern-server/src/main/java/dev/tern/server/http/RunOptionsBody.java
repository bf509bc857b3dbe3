package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.IdempotencyConflictException;
import dev.tern.engine.RunOptions;
import dev.tern.engine.TernJson;
import dev.tern.engine.Violation;
import dev.tern.sdk.Budget;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduling options read from a schedule request, next to its {@code input}: {@code idempotencyKey} (or the
 * {@code Idempotency-Key} header), {@code deadlineAt} (RFC 3339) or {@code timeoutSeconds}, {@code threadId},
 * {@code webhookUrl}, {@code releaseChannel}, and a budget for model calls: {@code maxCostUsd}, {@code maxTokens},
 * {@code onBudgetExceeded} ({@code fail} or {@code ask}). A reused key with a different request is answered by
 * {@link #conflict}.
 */
final class RunOptionsBody {
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    /** Every option field read here; a schedule body knows these next to its own. */
    static final List<String> FIELDS = List.of(
            "idempotencyKey",
            "deadlineAt",
            "timeoutSeconds",
            "threadId",
            "webhookUrl",
            "maxCostUsd",
            "maxTokens",
            "onBudgetExceeded",
            "releaseChannel");

    private RunOptionsBody() {}

    static RunOptions read(Context ctx, ObjectNode body) {
        return read(ctx.header(IDEMPOTENCY_HEADER), OrgScope.org(ctx), body);
    }

    /**
     * The options of a body sent with the {@code Idempotency-Key} header {@code headerKey} (null: none) by {@code org}.
     */
    static RunOptions read(String headerKey, String org, ObjectNode body) {
        String bodyKey = Bodies.optionalText(body, "idempotencyKey");
        if (headerKey != null && bodyKey != null && !headerKey.equals(bodyKey)) {
            throw ApiException.badRequest(
                    "$.idempotencyKey", "differs from the Idempotency-Key header; give one or make them equal");
        }
        RunOptions options = RunOptions.none()
                .withOrg(org)
                .withIdempotencyKey(bodyKey != null ? bodyKey : headerKey)
                .withThreadId(Bodies.optionalText(body, "threadId"))
                .withWebhookUrl(webhookUrl(Bodies.optionalText(body, "webhookUrl")))
                .withReleaseChannel(Bodies.optionalText(body, "releaseChannel"));
        String deadline = Bodies.optionalText(body, "deadlineAt");
        JsonNode timeout = body.get("timeoutSeconds");
        if (deadline != null && timeout != null && !timeout.isNull()) {
            throw ApiException.badRequest("$.timeoutSeconds", "give deadlineAt or timeoutSeconds, not both");
        }
        if (deadline != null) {
            try {
                options = options.withDeadline(Instant.parse(deadline));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                        "$.deadlineAt",
                        "must be an RFC 3339 timestamp such as 2026-01-01T12:00:00Z, was '" + deadline + "'");
            }
        } else if (timeout != null && !timeout.isNull()) {
            if (!timeout.isNumber() || timeout.asDouble() <= 0 || timeout.asDouble() > 10 * 365 * 86_400.0) {
                throw ApiException.badRequest(
                        "$.timeoutSeconds", "must be a positive number of seconds (at most ten years)");
            }
            options = options.withTimeout(Duration.ofMillis((long) (timeout.asDouble() * 1000)), Instant.now());
        }
        return options.withBudget(budget(body));
    }

    /** The budget given next to the input, or null when none is. */
    static Budget budget(ObjectNode body) {
        JsonNode cost = body.get("maxCostUsd");
        JsonNode tokens = body.get("maxTokens");
        String onExceeded = Bodies.optionalText(body, "onBudgetExceeded");
        boolean hasCost = cost != null && !cost.isNull();
        boolean hasTokens = tokens != null && !tokens.isNull();
        if (!hasCost && !hasTokens) {
            if (onExceeded != null)
                throw ApiException.badRequest(
                        "$.onBudgetExceeded", "applies to a budget: give maxCostUsd or maxTokens too");
            return null;
        }
        if (hasCost
                && (!cost.isNumber()
                        || !Double.isFinite(cost.asDouble())
                        || cost.asDouble() < 0
                        || cost.asDouble() > 1e9)) {
            throw ApiException.badRequest("$.maxCostUsd", "must be a number of US dollars between 0 and 1e9");
        }
        if (hasTokens && (!tokens.isIntegralNumber() || !tokens.canConvertToLong() || tokens.asLong() < 0)) {
            throw ApiException.badRequest("$.maxTokens", "must be a whole number of tokens >= 0");
        }
        Budget.OnExceeded mode;
        try {
            mode = onExceeded == null ? Budget.OnExceeded.FAIL : Budget.OnExceeded.parse(onExceeded);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("$.onBudgetExceeded", e.getMessage());
        }
        return new Budget(hasCost ? cost.asDouble() : null, hasTokens ? tokens.asLong() : null, mode);
    }

    /** The known fields of a schedule body: {@code own} (such as {@code name}, {@code input}), then the options. */
    static List<String> fieldsWith(String... own) {
        List<String> fields = new ArrayList<>(List.of(own));
        fields.addAll(FIELDS);
        return List.copyOf(fields);
    }

    /**
     * Answers a request whose idempotency key already started a run for a different request: 409
     * {@code idempotency-conflict}, naming the key, the run and what differs ({@code nameField} or {@code $.input}).
     */
    static void conflict(Context ctx, IdempotencyConflictException e, String nameField) {
        conflict(ctx, e, nameField, "$.input");
    }

    /** Like {@link #conflict(Context, IdempotencyConflictException, String)}, the input at {@code inputField}. */
    static void conflict(Context ctx, IdempotencyConflictException e, String nameField, String inputField) {
        String field = e.differs().equals("name") ? nameField : inputField;
        Problem problem = Problem.of(409, "idempotency-conflict", "Idempotency key conflict", e.getMessage())
                .withErrors(List.of(new Violation(
                        field,
                        "differs from the request that started run '" + e.runId() + "' with idempotency key '"
                                + e.idempotencyKey() + "'")))
                .withInstance(ctx.path());
        ctx.status(409);
        ctx.result(TernJson.write(problem));
        ctx.contentType(Problem.CONTENT_TYPE);
    }

    private static String webhookUrl(String url) {
        if (url == null) return null;
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null)
                return url;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ApiException.badRequest("$.webhookUrl", "must be an absolute http or https URL, was '" + url + "'");
    }
}
