package dev.tern.engine.internal.store;

import dev.tern.engine.RunStatus;
import dev.tern.engine.WebhookDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The read-and-send side of the webhook outbox: finds due deliveries, claims them for a while (with {@code FOR UPDATE
 * SKIP LOCKED} on PostgreSQL, so one node sends each), and records every attempt with the state it leads to.
 */
public final class WebhookQueue {
    private final GroupCommitWriter writer;
    private final RunReader reader;
    private final NamedSql claimDue;

    WebhookQueue(GroupCommitWriter writer, RunReader reader, Dialect dialect) {
        this.writer = writer;
        this.reader = reader;
        this.claimDue = NamedSql.parse(CLAIM_DUE + dialect.claimLock());
    }

    /** A claimed delivery, with the attempts it already had. */
    public record Due(
            String id,
            String runId,
            String url,
            RunStatus status,
            RunStatus previousStatus,
            long eventSequence,
            Instant occurredAt,
            int attempts) {}

    /** What one attempt ended in: the next state, and when to try again if still pending. */
    public record Outcome(
            String deliveryId,
            int attempt,
            Instant at,
            Integer statusCode,
            String error,
            long durationMillis,
            String state,
            Instant nextAttemptAt) {}

    /** Due deliveries, oldest first; the dialect's claim lock is appended. */
    static final String CLAIM_DUE = """
      SELECT id, run_id, url, status, previous_status, event_seq, occurred_at, attempts FROM webhook_deliveries
      WHERE state = 'pending' AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit""";

    static final NamedSql RECORD_ATTEMPT = NamedSql.parse("""
      INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
      VALUES (:deliveryId, :attempt, :at, :statusCode, :error, :durationMs)
      ON CONFLICT (delivery_id, attempt) DO NOTHING""");

    static final NamedSql RECORD_STATE = NamedSql.parse("""
      UPDATE webhook_deliveries SET state = :state, attempts = :attempt, next_attempt_at = :nextAttemptAt,
        delivered_at = :deliveredAt
      WHERE id = :deliveryId AND (state = 'pending') IS TRUE""");

    /** Whether some delivery is due: a cheap read so an idle node does not take the writer for nothing. */
    public boolean anyDue(Instant now) {
        return !reader.query(
                        "SELECT 1 FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? LIMIT 1",
                        rs -> 1,
                        now)
                .isEmpty();
    }

    /** Claims up to {@code limit} due deliveries until {@code claimUntil}: nobody else sends them before then. */
    public CompletableFuture<List<Due>> claim(Instant now, int limit, Instant claimUntil) {
        return writer.submit(tx -> {
            List<Due> due = tx.queryPlannedEachTime(
                    claimDue,
                    rs -> new Due(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            status(rs.getString(4)),
                            status(rs.getString(5)),
                            rs.getLong(6),
                            Sql.instant(rs, "occurred_at"),
                            rs.getInt(8)),
                    NamedSql.Params.of("now", now).and("limit", limit));
            for (Due d : due)
                tx.update("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?", claimUntil, d.id());
            return due;
        });
    }

    public CompletableFuture<Void> record(Outcome o) {
        return writer.submit(tx -> {
            NamedSql.Params p = NamedSql.Params.of("deliveryId", o.deliveryId())
                    .and("attempt", o.attempt())
                    .and("at", o.at())
                    .and("statusCode", o.statusCode())
                    .and("error", o.error())
                    .and("durationMs", o.durationMillis())
                    .and("state", o.state())
                    .and("nextAttemptAt", o.nextAttemptAt())
                    .and("deliveredAt", WebhookDelivery.DELIVERED.equals(o.state()) ? o.at() : null);
            tx.update(RECORD_ATTEMPT, p);
            tx.update(RECORD_STATE, p);
            return null;
        });
    }

    /** The run's deliveries in event order, each with its attempts. */
    public List<WebhookDelivery> deliveries(String runId) {
        record Row(
                String id,
                String url,
                String status,
                String previous,
                long seq,
                Instant at,
                String state,
                Instant next,
                Instant delivered) {}
        List<Row> rows = reader.query(
                "SELECT * FROM webhook_deliveries WHERE run_id = ? ORDER BY event_seq, id",
                rs -> new Row(
                        rs.getString("id"),
                        rs.getString("url"),
                        rs.getString("status"),
                        rs.getString("previous_status"),
                        rs.getLong("event_seq"),
                        Sql.instant(rs, "occurred_at"),
                        rs.getString("state"),
                        Sql.instant(rs, "next_attempt_at"),
                        Sql.instant(rs, "delivered_at")),
                runId);
        Map<String, List<WebhookDelivery.Attempt>> attempts = new LinkedHashMap<>();
        reader.query(
                "SELECT a.* FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.run_id "
                        + "= ? "
                        + "ORDER BY a.delivery_id, a.attempt",
                rs -> {
                    attempts.computeIfAbsent(rs.getString("delivery_id"), k -> new ArrayList<>())
                            .add(new WebhookDelivery.Attempt(
                                    rs.getInt("attempt"),
                                    Sql.instant(rs, "at"),
                                    Sql.integer(rs, "status_code"),
                                    rs.getString("error"),
                                    rs.getLong("duration_ms")));
                    return null;
                },
                runId);
        return rows.stream()
                .map(r -> new WebhookDelivery(
                        r.id(),
                        runId,
                        r.url(),
                        status(r.status()),
                        status(r.previous()),
                        r.seq(),
                        r.at(),
                        r.state(),
                        WebhookDelivery.PENDING.equals(r.state()) ? r.next() : null,
                        r.delivered(),
                        attempts.getOrDefault(r.id(), List.of())))
                .toList();
    }

    private static RunStatus status(String wire) {
        return wire == null ? null : RunStatus.fromWire(wire).orElseThrow();
    }
}
