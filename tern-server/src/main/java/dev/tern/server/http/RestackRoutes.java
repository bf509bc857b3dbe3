package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.EventReceipt;
import dev.tern.engine.IdempotencyConflictException;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.RunnableDefinition.Kind;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BiPredicate;

/** Restack's endpoints: schedule an agent or workflow, read its run, send an agent an event. */
final class RestackRoutes {
    /** The fields of a schedule body, read in {@link #schedule}. */
    private static final List<String> SCHEDULE_FIELDS = RunOptionsBody.fieldsWith("input");

    private final TernEngine engine;

    /**
     * An event body, here and under {@code /v1/runs/{runId}/events}: {@code eventName} and an optional
     * {@code eventInput} object.
     */
    record EventBody(String eventName, ObjectNode eventInput) {
        static final List<String> FIELDS = List.of("eventName", "eventInput");

        static EventBody read(ObjectNode body) {
            Bodies.requireKnownFields(body, FIELDS);
            return new EventBody(Bodies.requiredText(body, "eventName"), Bodies.objectField(body, "eventInput"));
        }
    }

    RestackRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.post("/api/agents/{agentName}", ctx -> schedule(ctx, Kind.AGENT, ctx.pathParam("agentName")));
        r.post("/api/workflows/{workflowName}", ctx -> schedule(ctx, Kind.WORKFLOW, ctx.pathParam("workflowName")));
        r.get(
                "/api/agents/{agentName}/{runId}",
                ctx -> get(ctx, Kind.AGENT, ctx.pathParam("agentName"), ctx.pathParam("runId")));
        r.get(
                "/api/workflows/{workflowName}/{runId}",
                ctx -> get(ctx, Kind.WORKFLOW, ctx.pathParam("workflowName"), ctx.pathParam("runId")));
        r.put(
                "/api/agents/{agentName}/{runId}",
                ctx -> sendEvent(ctx, ctx.pathParam("agentName"), ctx.pathParam("runId")));
        r.put("/api/agents/{agentName}/{agentId}/{runId}", ctx -> {
            String agentName = ctx.pathParam("agentName");
            String agentId = ctx.pathParam("agentId");
            String runId = ctx.pathParam("runId");
            // any run of the agent, the latest or one it continued from (an event sent to that one reaches the latest)
            if (!agentId.equals(agentIdOf(runUnder(Kind.AGENT, agentName, runId)))) {
                throw ApiException.notFound("agent '" + agentId + "' has no run '" + runId + "'");
            }
            sendEvent(ctx, agentName, runId);
        });
    }

    /**
     * 200 with the run, new or the one a retry's idempotency key had started; 409 if the key started a different
     * request.
     */
    private void schedule(Context ctx, Kind kind, String name) {
        engine.catalog().require(kind, name);
        ObjectNode body = Bodies.object(ctx);
        Bodies.requireKnownFields(body, SCHEDULE_FIELDS);
        RunRecord run;
        try {
            run = engine.scheduleRun(kind, name, Bodies.objectField(body, "input"), RunOptionsBody.read(ctx, body))
                    .run();
        } catch (IdempotencyConflictException e) {
            RunOptionsBody.conflict(ctx, e, kind.wireName() + "Name");
            return;
        }
        ctx.json(RunViews.scheduled(run));
    }

    private void get(Context ctx, Kind kind, String name, String runId) {
        engine.catalog().require(kind, name);
        RunRecord run = RunWaits.awaitIfAsked(engine, ctx, runId, under(kind, name))
                .orElseThrow(() -> notFound(kind, name, runId));
        ctx.json(RunViews.restackRun(run));
    }

    private void sendEvent(Context ctx, String agentName, String runId) {
        runUnder(Kind.AGENT, agentName, runId);
        ObjectNode body = Bodies.object(ctx);
        EventBody event = EventBody.read(body);
        EventReceipt receipt = engine.deliver(runId, event.eventName(), event.eventInput());
        ctx.json(body.objectNode()
                .put("runId", runId)
                .put("agentName", agentName)
                .put("eventName", event.eventName())
                .put("inboxSequence", receipt.inboxSequence())
                .put("deliveredTo", receipt.runId())
                .put("status", "accepted"));
    }

    /** The id an agent keeps across continue-as-new: its first run's id. */
    private static String agentIdOf(RunRecord run) {
        return run.links().agentId() != null ? run.links().agentId() : run.id();
    }

    /** The run, only if it belongs to the agent or workflow it is asked under. */
    private RunRecord runUnder(Kind kind, String name, String runId) {
        engine.catalog().require(kind, name);
        return engine.run(runId)
                .filter(r -> under(kind, name).test(r.kind(), r.name()))
                .orElseThrow(() -> notFound(kind, name, runId));
    }

    /** Whether a run of a kind and name belongs to the agent or workflow {@code name} it is asked under. */
    private static BiPredicate<RunKind, String> under(Kind kind, String name) {
        RunKind runKind = RunKind.of(kind);
        return (k, n) -> k == runKind && n.equals(name);
    }

    private static ApiException notFound(Kind kind, String name, String runId) {
        return ApiException.notFound(kind.wireName() + " '" + name + "' has no run '" + runId + "'");
    }
}
