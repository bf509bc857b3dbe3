package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.DefinitionInfo;
import dev.tern.engine.EventReceipt;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.IdempotencyConflictException;
import dev.tern.engine.RunDetail;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunNotFoundException;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunRequest;
import dev.tern.engine.RunStatus;
import dev.tern.engine.ScheduledRun;
import dev.tern.engine.TernEngine;
import dev.tern.engine.TernJson;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Tern's own API under {@code /v1}: runs with full detail, history, cancel, events, definitions. */
final class NativeRoutes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KINDS =
            Arrays.stream(RunKind.values()).map(RunKind::wireName).toList();
    private final TernEngine engine;
    private final RunRequestBody requests;

    NativeRoutes(TernEngine engine, CallRuns calls) {
        this.engine = engine;
        this.requests = new RunRequestBody(calls);
    }

    void register(RouteRegistrar r) {
        r.get("/v1/runs", ctx -> list(ctx, ctx.queryParam("threadId")));
        r.post("/v1/runs", this::schedule);
        new BatchRoute(engine, requests).register(r);
        r.get("/v1/runs/{runId}", this::run);
        // the spec views as operations of their own: one response schema each, so generated clients can read them
        r.get("/v1/runs/{runId}/agent-run", ctx -> view(ctx, "agent-run"));
        r.get("/v1/runs/{runId}/resource", ctx -> view(ctx, "resource"));
        r.get("/v1/threads/{threadId}/runs", ctx -> list(ctx, ctx.pathParam("threadId")));
        r.get("/v1/runs/{runId}/history", this::history);
        r.get(
                "/v1/runs/{runId}/export",
                ctx -> ctx.json(engine.export(ctx.pathParam("runId")).toJson()));
        r.post("/v1/runs/{runId}/cancel", ctx -> ctx.json(RunViews.summary(engine.cancel(ctx.pathParam("runId")))));
        r.post("/v1/runs/{runId}/events", ctx -> {
            RunRecord run = engine.requireRun(ctx.pathParam("runId"));
            RestackRoutes.EventBody event = RestackRoutes.EventBody.read(Bodies.object(ctx));
            EventReceipt receipt = engine.deliver(run.id(), event.eventName(), event.eventInput());
            ctx.json(NODES.objectNode()
                    .put("runId", run.id())
                    .put("eventName", event.eventName())
                    .put("inboxSequence", receipt.inboxSequence())
                    .put("deliveredTo", receipt.runId())
                    .put("status", "accepted"));
        });
        r.get("/v1/definitions", ctx -> {
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("definitions");
            for (DefinitionInfo d : engine.catalog().describe()) {
                ObjectNode n = list.addObject().put("kind", d.kind().wireName()).put("name", d.name());
                n.set("inputSchema", d.inputSchema());
                n.set("outputSchema", d.outputSchema());
                if (!d.events().isEmpty()) n.set("events", TernJson.tree(d.events()));
                if (d.revision() != null) {
                    n.put("revision", d.revision());
                    d.revisions().forEach(n.putArray("revisions")::add);
                }
            }
            ctx.json(out);
        });
    }

    /** The run in the view asked for: {@code full} (default), {@code agent-run} or {@code resource}. */
    private void run(Context ctx) {
        String view = ctx.queryParam("view");
        if (view != null && !List.of("full", "agent-run", "resource").contains(view)) {
            throw ApiException.badRequest("view", "must be 'full', 'agent-run' or 'resource', was '" + view + "'");
        }
        view(ctx, view == null ? "full" : view);
    }

    private void view(Context ctx, String view) {
        String runId = ctx.pathParam("runId");
        Set<RunDetail.Part> parts = switch (view) {
            case "full" -> RunDetail.Part.all();
            case "agent-run" -> EnumSet.of(RunDetail.Part.STEPS);
            case "resource" -> ResourceRunView.PARTS;
            default ->
                throw ApiException.badRequest("view", "must be 'full', 'agent-run' or 'resource', was '" + view + "'");
        };
        RunDetail detail = RunWaits.awaitDetailIfAsked(engine, ctx, runId, parts)
                .orElseThrow(() -> new RunNotFoundException(runId));
        RunRecord run = detail.run();
        switch (view) {
            case "full" ->
                ctx.json(RunViews.revisionBlock(
                        engine, run, RunViews.full(run, detail.steps(), detail.attempts(), detail.interactions())));
            case "agent-run" ->
                ctx.json(AgentRunView.of(
                        run,
                        detail.steps(),
                        PublicUrl.of(ctx).traceUrl(run.id(), run.links().traceId())));
            default -> ctx.json(ResourceRunView.read(engine, detail));
        }
    }

    private void list(Context ctx, String threadId) {
        String kindParam = ctx.queryParam("kind");
        RunKind kind = kindParam == null
                ? null
                : RunKind.fromWire(kindParam)
                        .orElseThrow(() -> ApiException.badRequest(
                                "kind", "must be one of " + KINDS + ", was '" + kindParam + "'"));
        String statusParam = ctx.queryParam("status");
        RunStatus status = statusParam == null
                ? null
                : RunStatus.fromWire(statusParam)
                        .orElseThrow(() -> ApiException.badRequest(
                                "status",
                                "must be one of "
                                        + Arrays.stream(RunStatus.values())
                                                .map(RunStatus::wireName)
                                                .toList() + ", was '" + statusParam + "'"));
        int limit = intParam(ctx, "limit", 50, 1, RunQuery.MAX_LIMIT);
        RunPage page;
        try {
            page = engine.runs(new RunQuery(
                            kind,
                            ctx.queryParam("name"),
                            status,
                            limit,
                            ctx.queryParam("cursor"),
                            threadId,
                            ctx.queryParam("parentRunId"))
                    .withOrg(OrgScope.org(ctx))
                    .withRevision(ctx.queryParam("revision")));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode runs = out.putArray("runs");
        page.runs().forEach(run -> runs.add(RunViews.revisionBlock(engine, run, RunViews.summary(run))));
        if (page.nextCursor() != null) out.put("nextCursor", page.nextCursor());
        ctx.json(out);
    }

    /**
     * 201 with a new run; 200 with the run a retry's idempotency key had started; 409 if the key started a different
     * request. What runs is read by {@link RunRequestBody}.
     */
    private void schedule(Context ctx) {
        int waitSeconds = RunWaits.requestedSeconds(ctx); // refused before anything is scheduled
        ObjectNode body = Bodies.object(ctx);
        ScheduledRun scheduled;
        try {
            RunRequest request = requests.read(body, () -> RunOptionsBody.read(ctx, body));
            scheduled = request.call() != null
                    ? engine.scheduleCall(request.call(), request.name(), request.input(), request.options())
                    : engine.scheduleRun(request.kind(), request.name(), request.input(), request.options());
        } catch (IdempotencyConflictException e) {
            RunOptionsBody.conflict(ctx, e, "$.name");
            return;
        }
        ctx.status(scheduled.created() ? 201 : 200)
                .json(RunViews.summary(RunWaits.await(engine, scheduled.run(), waitSeconds)));
    }

    private void history(Context ctx) {
        RunRecord run = engine.requireRun(ctx.pathParam("runId"));
        long after = intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 1000, 1, 10_000);
        List<HistoryEvent> events = engine.history(run.id(), after, limit);
        ObjectNode out = NODES.objectNode().put("runId", run.id());
        ArrayNode list = out.putArray("events");
        events.forEach(e -> list.add(RunViews.event(e)));
        ctx.json(out);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) return fallback;
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max)
                throw ApiException.badRequest(name, "must be between " + min + " and " + max + ", was " + value);
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be an integer, was '" + raw + "'");
        }
    }
}
