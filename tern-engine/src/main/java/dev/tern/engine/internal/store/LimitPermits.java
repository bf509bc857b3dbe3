package dev.tern.engine.internal.store;

import dev.tern.sdk.Limit;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster-wide limits in the store: a token bucket per key for the rate, and a row per holder (expiring with its lease)
 * for the concurrency, both under the key's row lock.
 */
final class LimitPermits {
    private final GroupCommitWriter writer;
    private final Dialect dialect;

    LimitPermits(GroupCommitWriter writer, Dialect dialect) {
        this.writer = writer;
        this.dialect = dialect;
    }

    private static final String HOLD = """
      INSERT INTO limit_holders (key, holder, node_id, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key, holder) DO UPDATE SET expires_at = excluded.expires_at, node_id = excluded.node_id""";

    /** Empty if {@code holder} now holds a permit; otherwise when to try again. */
    CompletableFuture<Optional<Instant>> acquire(
            Limit limit, String holder, String nodeId, Instant now, Instant expiresAt) {
        return writer.submit(tx -> {
            String key = limit.key();
            double burst = Math.max(1.0, Math.floor(limit.perSecond() / 10));
            tx.update(
                    "INSERT INTO limits (key, tokens, refilled_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                    key,
                    burst,
                    now);
            record Bucket(double tokens, long refilledAt) {}
            Bucket bucket = tx.query(
                            "SELECT tokens, refilled_at FROM limits WHERE key = ?" + dialect.rowLock(),
                            rs -> new Bucket(rs.getDouble(1), rs.getLong(2)),
                            key)
                    .get(0);
            if (limit.maxConcurrent() > 0) {
                tx.update("DELETE FROM limit_holders WHERE key = ? AND expires_at < ?", key, now);
                long held = tx.queryLong(
                                "SELECT COUNT(*) FROM limit_holders WHERE key = ? AND holder <> ?", key, holder)
                        .orElse(0);
                if (held >= limit.maxConcurrent()) return Optional.of(now.plusMillis(25));
            }
            double tokens = bucket.tokens();
            if (limit.perSecond() > 0) {
                tokens = Math.min(
                        burst, tokens + (now.toEpochMilli() - bucket.refilledAt()) / 1000.0 * limit.perSecond());
                if (tokens < 1.0) {
                    return Optional.of(now.plusMillis((long) Math.ceil((1.0 - tokens) / limit.perSecond() * 1000)));
                }
                tokens -= 1.0;
                tx.update("UPDATE limits SET tokens = ?, refilled_at = ? WHERE key = ?", tokens, now, key);
            }
            if (limit.maxConcurrent() > 0) {
                tx.update(HOLD, key, holder, nodeId, expiresAt);
            }
            return Optional.<Instant>empty();
        });
    }

    /**
     * Gives the holder's permit back. On PostgreSQL other nodes are told as it commits, so their first step waiting for
     * the limit asks again at once rather than at its next backoff; this node's own learn of it from the release's
     * completion.
     */
    CompletableFuture<Void> release(String key, String holder) {
        return writer.submit(tx -> {
            int released = tx.update("DELETE FROM limit_holders WHERE key = ? AND holder = ?", key, holder);
            if (released > 0 && dialect == Dialect.POSTGRESQL) {
                tx.query(PostgresRunWrites.NOTIFY, rs -> null, Signal.Kind.LIMIT.name() + ":" + key);
            }
            return null;
        });
    }
}
