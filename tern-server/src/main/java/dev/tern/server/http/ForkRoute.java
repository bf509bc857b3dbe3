package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.IdempotencyConflictException;
import dev.tern.engine.ScheduledRun;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.ModelChoice;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code POST /v1/runs/{runId}/fork}: {@code {"fromStep": N, "input"?: …, "model"?: {"name", "temperature",
 * "maxOutputTokens"}}} plus the scheduling options. A bad {@code fromStep} (missing, not an integer, negative, past the
 * original's last step) is a 400 naming it, an input that breaks the schema a 400 naming the field.
 */
final class ForkRoute {
    static final List<String> FIELDS = RunOptionsBody.fieldsWith("fromStep", "input", "model");
    private static final List<String> MODEL_FIELDS = List.of("name", "temperature", "maxOutputTokens");

    private final TernEngine engine;

    ForkRoute(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.post("/v1/runs/{runId}/fork", this::fork);
    }

    private void fork(Context ctx) {
        ObjectNode body = Bodies.object(ctx);
        Bodies.requireKnownFields(body, FIELDS);
        int fromStep = fromStep(body.get("fromStep"));
        JsonNode input = body.get("input");
        if (input != null && !input.isNull() && !input.isObject())
            throw ApiException.badRequest(
                    "$.input",
                    "must be a JSON object, was " + input.getNodeType().name().toLowerCase());
        var options = RunOptionsBody.read(ctx, body);
        ModelChoice model = model(body.get("model"));
        if (model != null) options = options.withModel(model);
        ScheduledRun fork;
        try {
            fork = engine.forkRun(
                    ctx.pathParam("runId"), fromStep, input == null || input.isNull() ? null : input, options);
        } catch (IdempotencyConflictException e) {
            RunOptionsBody.conflict(ctx, e, "$.fromStep");
            return;
        }
        ctx.status(fork.created() ? 201 : 200).json(RunViews.summary(fork.run()));
    }

    private static int fromStep(JsonNode value) {
        if (value == null || value.isNull()) throw ApiException.badRequest("$.fromStep", "is required");
        if (!value.isIntegralNumber() || !value.canConvertToInt())
            throw ApiException.badRequest(
                    "$.fromStep", "must be a whole number of 0 or more (a step position), was " + describe(value));
        if (value.asInt() < 0) throw ApiException.badRequest("$.fromStep", "must be 0 or more, was " + value.asInt());
        return value.asInt();
    }

    private static ModelChoice model(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (!value.isObject())
            throw ApiException.badRequest(
                    "$.model",
                    "must be a JSON object, was " + value.getNodeType().name().toLowerCase());
        ObjectNode model = (ObjectNode) value;
        model.fieldNames().forEachRemaining(f -> {
            if (!MODEL_FIELDS.contains(f))
                throw ApiException.badRequest(
                        "$.model." + f, "is not a field of model; the fields are " + MODEL_FIELDS);
        });
        String name = Bodies.optionalText(model, "name");
        JsonNode t = model.get("temperature");
        if (t != null && !t.isNull() && !t.isNumber())
            throw ApiException.badRequest("$.model.temperature", "must be a number, was " + describe(t));
        JsonNode m = model.get("maxOutputTokens");
        if (m != null && !m.isNull() && (!m.isIntegralNumber() || !m.canConvertToInt()))
            throw ApiException.badRequest("$.model.maxOutputTokens", "must be a whole number, was " + describe(m));
        try {
            return new ModelChoice(
                    name, t == null || t.isNull() ? null : t.asDouble(), m == null || m.isNull() ? null : m.asInt());
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("temperature") ? "temperature" : "maxOutputTokens";
            throw ApiException.badRequest("$.model." + field, e.getMessage());
        }
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
