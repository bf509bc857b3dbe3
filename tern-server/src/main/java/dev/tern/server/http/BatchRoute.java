package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.BatchItemException;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.RunRequest;
import dev.tern.engine.ScheduledRun;
import dev.tern.engine.TernEngine;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/runs:batch}: {@code {"runs": [...]}}, 1 to {@link RunRequest#MAX_BATCH} runs, each exactly a body of
 * {@code POST /v1/runs} with its own {@code idempotencyKey}. All or nothing: every run is read and checked first (a bad
 * one is a 4xx naming its field, {@code $.runs[3].input.name}), then all are created in one transaction. 201 with the
 * runs in order (200 when every one already existed under its key); a key that started a different request is a 409
 * naming that run, and a quota that the batch would break a 429; neither creates anything.
 */
final class BatchRoute {
    private final TernEngine engine;
    private final RunRequestBody requests;

    BatchRoute(TernEngine engine, RunRequestBody requests) {
        this.engine = engine;
        this.requests = requests;
    }

    void register(RouteRegistrar r) {
        r.post("/v1/runs:batch", this::schedule);
    }

    private void schedule(Context ctx) {
        if (ctx.header(RunOptionsBody.IDEMPOTENCY_HEADER) != null) {
            throw ApiException.badRequest(
                    RunOptionsBody.IDEMPOTENCY_HEADER,
                    "a batch takes no Idempotency-Key header; give each run its own idempotencyKey");
        }
        ObjectNode body = Bodies.object(ctx);
        Bodies.requireKnownFields(body, List.of("runs"));
        List<RunRequest> batch = read(runs(body), OrgScope.org(ctx));
        List<ScheduledRun> scheduled;
        try {
            scheduled = engine.scheduleAll(batch);
        } catch (BatchItemException e) {
            BatchProblems.answer(ctx, e);
            return;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("runs");
        boolean created = false;
        for (ScheduledRun run : scheduled) {
            list.add(RunViews.summary(run.run()));
            created |= run.created();
        }
        ctx.status(created ? 201 : 200).json(out);
    }

    private static JsonNode runs(ObjectNode body) {
        JsonNode runs = body.get("runs");
        String expected = "an array of 1 to " + RunRequest.MAX_BATCH + " runs, each a body of POST /v1/runs";
        if (runs == null || runs.isNull()) throw ApiException.badRequest("$.runs", "is required: " + expected);
        if (!runs.isArray()) {
            throw ApiException.badRequest(
                    "$.runs",
                    "must be " + expected + ", was " + runs.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (runs.isEmpty() || runs.size() > RunRequest.MAX_BATCH) {
            throw ApiException.badRequest(
                    "$.runs", "must hold 1 to " + RunRequest.MAX_BATCH + " runs, held " + runs.size());
        }
        return runs;
    }

    /** Every run of the batch, read as {@code POST /v1/runs} reads its body; the first bad one is refused. */
    private List<RunRequest> read(JsonNode runs, String org) {
        List<RunRequest> batch = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            JsonNode item = runs.get(i);
            try {
                if (!(item instanceof ObjectNode run))
                    throw ApiException.badRequest("$", "must be a JSON object, a body of POST /v1/runs");
                batch.add(requests.read(run, () -> RunOptionsBody.read(null, org, run)));
            } catch (ApiException e) {
                throw BatchProblems.at(i, e);
            } catch (InvalidInputException e) {
                throw BatchProblems.at(i, e);
            }
        }
        return batch;
    }
}
