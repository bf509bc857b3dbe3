package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import dev.tern.engine.WebhookDelivery;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run's changes leave the server: the SSE stream of its history, and the webhook deliveries of its status
 * changes.
 */
final class DeliveryRoutes {
    private static final Logger log = LoggerFactory.getLogger(DeliveryRoutes.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final TernEngine engine;

    DeliveryRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.get("/v1/runs/{runId}/stream", this::stream);
        r.get("/v1/runs/{runId}/webhooks", this::webhooks);
    }

    private void stream(Context ctx) throws InterruptedException {
        RunRecord run = engine.requireRun(ctx.pathParam("runId"));
        long after = resumeAfter(ctx);
        if (run.status().isTerminal() && after >= run.lastEventSeq()) {
            // nothing will ever follow: an EventSource that reconnects after the terminal event stops on 204 (an empty
            // 200 makes it retry forever)
            ctx.status(204);
            return;
        }
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        if (ctx.method() == HandlerType.HEAD) return; // the headers a GET would get; the stream would never end
        try {
            OutputStream out = ctx.res().getOutputStream();
            new HistoryStream(engine, run.id(), after, out, HistoryStream.HEARTBEAT).run();
            out.flush();
        } catch (IOException e) {
            log.debug("stream of {} ended: client went away ({})", run.id(), e.toString());
        } catch (RuntimeException e) {
            // the response is committed: no problem document can follow; the client reconnects with Last-Event-ID
            log.warn("stream of {} ended early: {}", run.id(), e.toString());
        }
    }

    /**
     * Where a stream resumes: the {@code Last-Event-ID} header a reconnecting EventSource sends, else {@code ?after=},
     * else the start.
     */
    private static long resumeAfter(Context ctx) {
        String header = ctx.header(LAST_EVENT_ID);
        if (header != null && !header.isBlank()) return sequence(LAST_EVENT_ID, header.trim());
        String query = ctx.queryParam("after");
        return query == null ? 0 : sequence("after", query);
    }

    private static long sequence(String field, String raw) {
        try {
            long value = Long.parseLong(raw);
            if (value >= 0) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(field, "must be an event sequence (an integer >= 0), was '" + raw + "'");
    }

    private void webhooks(Context ctx) {
        RunRecord run = engine.requireRun(ctx.pathParam("runId"));
        ObjectNode out = NODES.objectNode().put("runId", run.id());
        if (run.webhookUrl() != null) out.put("webhookUrl", run.webhookUrl());
        ArrayNode list = out.putArray("deliveries");
        for (WebhookDelivery d : engine.webhookDeliveries(run.id())) list.add(delivery(d));
        ctx.json(out);
    }

    static ObjectNode delivery(WebhookDelivery d) {
        ObjectNode n = NODES.objectNode()
                .put("deliveryId", d.id())
                .put("runId", d.runId())
                .put("url", d.url())
                .put("status", d.status().wireName());
        if (d.previousStatus() != null)
            n.put("previousStatus", d.previousStatus().wireName());
        n.put("eventSequence", d.eventSequence());
        RunViews.putTime(n, "occurredAt", d.occurredAt());
        n.put("state", d.state()).put("attemptCount", d.attempts().size());
        RunViews.putTime(n, "nextAttemptAt", d.nextAttemptAt());
        RunViews.putTime(n, "deliveredAt", d.deliveredAt());
        ArrayNode attempts = n.putArray("attempts");
        for (WebhookDelivery.Attempt a : d.attempts()) {
            ObjectNode an = attempts.addObject().put("attempt", a.attempt());
            RunViews.putTime(an, "at", a.at());
            if (a.statusCode() != null) an.put("statusCode", a.statusCode());
            if (a.error() != null) an.put("error", a.error());
            an.put("durationMs", a.durationMillis());
        }
        return n;
    }
}
