package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.EventReceipt;
import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.RunnableDefinition.Kind;
import io.javalin.http.Context;

/** Restack's endpoints: schedule an agent or workflow, read its run, send an agent an event. */
final class RestackRoutes {
  private final TernEngine engine;

  RestackRoutes(TernEngine engine) {
    this.engine = engine;
  }

  void register(RouteRegistrar r) {
    r.post("/api/agents/{agentName}", ctx -> schedule(ctx, Kind.AGENT, ctx.pathParam("agentName")));
    r.post("/api/workflows/{workflowName}", ctx -> schedule(ctx, Kind.WORKFLOW, ctx.pathParam("workflowName")));
    r.get("/api/agents/{agentName}/{runId}", ctx -> get(ctx, Kind.AGENT, ctx.pathParam("agentName"), ctx.pathParam("runId")));
    r.get("/api/workflows/{workflowName}/{runId}", ctx -> get(ctx, Kind.WORKFLOW, ctx.pathParam("workflowName"), ctx.pathParam("runId")));
    r.put("/api/agents/{agentName}/{runId}", ctx -> sendEvent(ctx, ctx.pathParam("agentName"), ctx.pathParam("runId")));
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

  private void schedule(Context ctx, Kind kind, String name) {
    engine.catalog().require(kind, name);
    ObjectNode body = Bodies.object(ctx);
    RunRecord run = engine.schedule(kind, name, Bodies.objectField(body, "input"), RunOptionsBody.read(ctx, body));
    ctx.json(RunViews.scheduled(run));
  }

  private void get(Context ctx, Kind kind, String name, String runId) {
    ctx.json(RunViews.restackRun(RunWaits.awaitIfAsked(engine, ctx, runUnder(kind, name, runId))));
  }

  private void sendEvent(Context ctx, String agentName, String runId) {
    runUnder(Kind.AGENT, agentName, runId);
    ObjectNode body = Bodies.object(ctx);
    String eventName = Bodies.requiredText(body, "eventName");
    EventReceipt receipt = engine.deliver(runId, eventName, Bodies.objectField(body, "eventInput"));
    ctx.json(body.objectNode().put("runId", runId).put("agentName", agentName).put("eventName", eventName)
        .put("inboxSequence", receipt.inboxSequence()).put("deliveredTo", receipt.runId()).put("status", "accepted"));
  }

  /** The id an agent keeps across continue-as-new: its first run's id. */
  private static String agentIdOf(RunRecord run) {
    return run.links().agentId() != null ? run.links().agentId() : run.id();
  }

  /** The run, only if it belongs to the agent or workflow it is asked under. */
  private RunRecord runUnder(Kind kind, String name, String runId) {
    engine.catalog().require(kind, name);
    return engine.run(runId)
        .filter(r -> r.kind().equals(kind.wireName()) && r.name().equals(name))
        .orElseThrow(() -> ApiException.notFound(kind.wireName() + " '" + name + "' has no run '" + runId + "'"));
  }
}
