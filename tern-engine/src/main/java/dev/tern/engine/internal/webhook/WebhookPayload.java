package dev.tern.engine.internal.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.store.WebhookQueue;

/**
 * The JSON body of a delivery. Built from the outbox row and the run as stored, both unchanging for what the body says
 * (a terminal run's output and error never change), so every attempt of a delivery sends the same bytes.
 */
final class WebhookPayload {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WebhookPayload() {}

    static String body(WebhookQueue.Due d, StoredRun run) {
        ObjectNode n = NODES.objectNode()
                .put("deliveryId", d.id())
                .put("runId", d.runId())
                .put("name", run.name())
                .put("kind", run.kind())
                .put("status", d.status().wireName());
        if (d.previousStatus() != null)
            n.put("previousStatus", d.previousStatus().wireName());
        n.put("eventSequence", d.eventSequence())
                .put("occurredAt", d.occurredAt().toString());
        if (d.status().isTerminal()) {
            if (run.output() != null && !run.output().isNull()) n.set("output", run.output());
            if (run.error() != null) {
                ObjectNode error = n.putObject("error")
                        .put("type", run.error().type())
                        .put("message", run.error().message());
                if (run.error().step() != null) error.put("step", run.error().step());
            }
        }
        return Json.write(n);
    }
}
