package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.RunComparison;
import dev.tern.engine.TernEngine;

/**
 * {@code GET /v1/runs/{runId}/compare/{otherRunId}}: two runs side by side, step by step (schema
 * {@code RunComparison}); a side absent from a row, the first difference of identical runs and a run's missing fork
 * origin are left out rather than sent as null.
 */
final class CompareRoutes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TernEngine engine;

    CompareRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.get(
                "/v1/runs/{runId}/compare/{otherRunId}",
                ctx -> ctx.json(view(engine.compare(ctx.pathParam("runId"), ctx.pathParam("otherRunId")))));
    }

    static ObjectNode view(RunComparison c) {
        ObjectNode out = NODES.objectNode();
        out.set("a", run(c.a()));
        out.set("b", run(c.b()));
        out.put("forkedFromA", c.forkedFromA());
        out.put("same", c.same());
        if (c.firstDifference() != null) out.put("firstDifference", c.firstDifference());
        ArrayNode rows = out.putArray("rows");
        for (RunComparison.Row row : c.rows()) {
            ObjectNode n = rows.addObject().put("position", row.position());
            if (row.a() != null) n.set("a", step(row.a()));
            if (row.b() != null) n.set("b", step(row.b()));
            ArrayNode diff = n.putArray("diff");
            row.diff().forEach(f -> diff.add(f.wireName()));
            n.put("same", row.same());
        }
        return out;
    }

    private static ObjectNode run(RunComparison.ComparedRun run) {
        ObjectNode n = NODES.objectNode()
                .put("runId", run.runId())
                .put("kind", run.kind().wireName())
                .put("name", run.name())
                .put("status", run.status().wireName());
        if (run.forkedFrom() != null)
            n.putObject("forkedFrom")
                    .put("runId", run.forkedFrom().runId())
                    .put("step", run.forkedFrom().step());
        RunComparison.Totals t = run.totals();
        n.putObject("totals")
                .put("steps", t.steps())
                .put("durationMs", t.durationMs())
                .put("inputTokens", t.inputTokens())
                .put("outputTokens", t.outputTokens())
                .put("costUsd", t.costUsd());
        return n;
    }

    private static ObjectNode step(RunComparison.ComparedStep s) {
        ObjectNode n = NODES.objectNode()
                .put("name", s.name())
                .put("type", s.type())
                .put("status", s.status().wireName());
        if (s.input() != null) n.set("input", s.input());
        if (s.output() != null) n.set("output", s.output());
        if (s.error() != null) n.set("error", RunViews.error(s.error()));
        if (s.durationMs() != null) n.put("durationMs", s.durationMs());
        return n.put("inputTokens", s.inputTokens())
                .put("outputTokens", s.outputTokens())
                .put("costUsd", s.costUsd());
    }
}
