package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.ScheduleRecord;
import dev.tern.engine.ScheduleSpec;
import dev.tern.engine.TernEngine;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/**
 * Schedules over HTTP under {@code /v1/schedules}: create, list, read, pause, resume, delete, and the runs a schedule
 * started.
 */
final class ScheduleRoutes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ONE = "/v1/schedules/{scheduleId}";
    private final TernEngine engine;

    ScheduleRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.post("/v1/schedules", ctx -> ctx.status(201).json(view(schedules(ctx).create(spec(Bodies.object(ctx))))));
        r.get("/v1/schedules", ctx -> {
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("schedules");
            schedules(ctx).list().forEach(s -> list.add(view(s)));
            ctx.json(out);
        });
        r.get(ONE, ctx -> ctx.json(view(schedules(ctx).require(id(ctx)))));
        r.post(ONE + "/pause", ctx -> ctx.json(view(schedules(ctx).pause(id(ctx)))));
        r.post(ONE + "/resume", ctx -> ctx.json(view(schedules(ctx).resume(id(ctx)))));
        r.delete(ONE, ctx -> {
            schedules(ctx).delete(id(ctx));
            ctx.status(204);
        });
        r.get(ONE + "/runs", ctx -> {
            int limit = limit(ctx);
            ObjectNode out = NODES.objectNode();
            ArrayNode runs = out.putArray("runs");
            schedules(ctx).runs(id(ctx), limit).forEach(run -> runs.add(RunViews.summary(run)));
            ctx.json(out);
        });
    }

    private static String id(Context ctx) {
        return ctx.pathParam("scheduleId");
    }

    /** The fields of a create body, read in {@link #spec}. */
    static final List<String> FIELDS = List.of(
            "scheduleId", "workflow", "input", "cron", "intervalSeconds", "timezone", "paused", "releaseChannel");

    /** Reads the create body; unknown fields and wrong JSON types are refused here, field values by the engine. */
    static ScheduleSpec spec(ObjectNode body) {
        Bodies.requireKnownFields(body, FIELDS);
        String id = Bodies.optionalText(body, "scheduleId");
        String workflow = Bodies.requiredText(body, "workflow");
        JsonNode input = body.get("input");
        String cron = Bodies.optionalText(body, "cron");
        Duration interval = null;
        JsonNode seconds = body.get("intervalSeconds");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 1) {
                throw ApiException.badRequest(
                        "$.intervalSeconds", "must be a whole number of seconds, at least 1, was " + seconds);
            }
            interval = Duration.ofSeconds(seconds.asLong());
        }
        String timezone = Bodies.optionalText(body, "timezone");
        JsonNode paused = body.get("paused");
        if (paused != null && !paused.isNull() && !paused.isBoolean())
            throw ApiException.badRequest("$.paused", "must be true or false, was " + paused);
        return new ScheduleSpec(
                id,
                workflow,
                input,
                cron,
                interval,
                timezone,
                paused != null && paused.asBoolean(),
                Bodies.optionalText(body, "releaseChannel"));
    }

    private static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) return 50;
        try {
            int value = Integer.parseInt(raw);
            if (value >= 1 && value <= 500) return value;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("limit", "must be an integer between 1 and 500, was '" + raw + "'");
    }

    static ObjectNode view(ScheduleRecord s) {
        ObjectNode n = NODES.objectNode();
        n.put("scheduleId", s.id());
        n.put("workflow", s.workflow());
        n.set("input", s.input());
        if (s.cron() != null) n.put("cron", s.cron());
        if (s.interval() != null) n.put("intervalSeconds", s.interval().toSeconds());
        n.put("timezone", s.timezone());
        n.put("paused", s.paused());
        if (s.releaseChannel() != null) n.put("releaseChannel", s.releaseChannel());
        n.put("nextFireAt", s.nextFireAt().toString());
        RunViews.putTime(n, "lastFireAt", s.lastFireAt());
        if (s.lastRunId() != null) n.put("lastRunId", s.lastRunId());
        if (s.lastError() != null) n.put("lastError", s.lastError());
        n.put("fireCount", s.fireCount());
        RunViews.putTime(n, "createdAt", s.createdAt());
        RunViews.putTime(n, "updatedAt", s.updatedAt());
        return n;
    }

    /** The schedules of the caller's organisation. */
    private dev.tern.engine.Schedules schedules(io.javalin.http.Context ctx) {
        return engine.schedules().forOrg(OrgScope.org(ctx));
    }
}
