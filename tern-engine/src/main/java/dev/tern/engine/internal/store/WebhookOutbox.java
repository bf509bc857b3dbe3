package dev.tern.engine.internal.store;

import dev.tern.engine.RunIds;
import dev.tern.engine.RunStatus;
import dev.tern.engine.WebhookDelivery;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The write side of the webhook outbox: one row per status change of a run that has a webhook URL, inserted by the
 * transaction that changed the status, so a delivery exists exactly when the change is durable. The previous status is
 * the one the last delivery of the run reported.
 */
final class WebhookOutbox {
    static final NamedSql ENQUEUE = NamedSql.parse("""
      INSERT INTO webhook_deliveries (id, run_id, url, status, previous_status, event_seq, occurred_at, state,
        attempts, next_attempt_at)
      VALUES (:id, :runId, :url, :status,
        (SELECT status FROM webhook_deliveries WHERE run_id = :runId ORDER BY event_seq DESC LIMIT 1),
        :eventSeq, :at, :state, 0, :at)""");

    void enqueue(Tx tx, String runId, String url, RunStatus status, long eventSeq, Instant at) throws SQLException {
        tx.update(
                ENQUEUE,
                NamedSql.Params.of("id", deliveryId(at))
                        .and("runId", runId)
                        .and("url", url)
                        .and("status", status.wireName())
                        .and("eventSeq", eventSeq)
                        .and("at", at)
                        .and("state", WebhookDelivery.PENDING));
    }

    private static String deliveryId(Instant at) {
        return "whd_" + RunIds.next(at.toEpochMilli()).substring("run_".length());
    }
}
