package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.TernEngine;
import java.util.List;

/** Human in the loop over HTTP: list a run's questions and answer one. */
final class InteractionRoutes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The fields of an answer body. */
    private static final List<String> ANSWER_FIELDS = List.of("answer");

    private final TernEngine engine;

    InteractionRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.get("/v1/runs/{runId}/interactions", ctx -> {
            String runId = ctx.pathParam("runId");
            ObjectNode out = NODES.objectNode().put("runId", runId);
            ArrayNode list = out.putArray("interactions");
            engine.interactions(runId).forEach(i -> list.add(view(i)));
            ctx.json(out);
        });
        r.post("/v1/runs/{runId}/interactions/{interactionId}", ctx -> {
            ObjectNode body = Bodies.object(ctx);
            Bodies.requireKnownFields(body, ANSWER_FIELDS);
            if (!body.has("answer")) throw ApiException.badRequest("$.answer", "is required");
            ctx.json(view(engine.answer(ctx.pathParam("runId"), ctx.pathParam("interactionId"), body.get("answer"))));
        });
    }

    static ObjectNode view(InteractionRecord i) {
        ObjectNode n = NODES.objectNode();
        n.put("interactionId", i.id());
        n.put("runId", i.runId());
        n.put("stepSeq", i.stepSeq());
        n.put("prompt", i.prompt());
        if (i.answerSchema() != null) n.set("answerSchema", i.answerSchema());
        n.put("status", i.status().replace('_', '-'));
        if (i.answer() != null) n.set("answer", i.answer());
        RunViews.putTime(n, "createdAt", i.createdAt());
        RunViews.putTime(n, "timeoutAt", i.timeoutAt());
        RunViews.putTime(n, "answeredAt", i.answeredAt());
        return n;
    }
}
