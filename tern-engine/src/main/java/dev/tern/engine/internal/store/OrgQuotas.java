package dev.tern.engine.internal.store;

import dev.tern.engine.OrgQuota;
import dev.tern.engine.QuotaExceededException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An organisation's quota, checked in the transaction that creates its run. The organisation's row at second 0 of
 * {@code org_rates} is taken first (an update that changes nothing but locks the row on PostgreSQL; SQLite has one
 * writer), so concurrent creations of one organisation on any node count one after the other; then its unfinished runs
 * are counted (the {@code runs_unfinished} index) and this second's creations counted up. A refusal throws, which rolls
 * back whatever the transaction wrote for this run.
 */
final class OrgQuotas {
    private static final String LOCK = """
        INSERT INTO org_rates (org_id, at_second, count) VALUES (?, 0, 0)
        ON CONFLICT (org_id, at_second) DO UPDATE SET count = org_rates.count""";
    private static final String COUNT_UNFINISHED =
            "SELECT count(*) FROM runs WHERE org_id = ? AND status IN ('queued', 'running')";
    private static final String READ_SECOND = "SELECT count FROM org_rates WHERE org_id = ? AND at_second = ?";
    private static final String COUNT_SECOND = """
        INSERT INTO org_rates (org_id, at_second, count) VALUES (?, ?, 1)
        ON CONFLICT (org_id, at_second) DO UPDATE SET count = org_rates.count + 1""";
    private static final String FORGET_OLD_SECONDS =
            "DELETE FROM org_rates WHERE org_id = ? AND at_second > 0 AND at_second < ?";

    private OrgQuotas() {}

    /** Throws {@link QuotaExceededException} if creating one more run of {@code org} now breaks {@code quota}. */
    static void check(Tx tx, String org, OrgQuota quota, Instant now) throws SQLException {
        if (quota == null || !quota.limits()) return;
        tx.update(LOCK, org);
        if (quota.maxActiveRuns() != null) {
            long unfinished =
                    tx.query(COUNT_UNFINISHED, rs -> rs.getLong(1), org).get(0);
            if (unfinished >= quota.maxActiveRuns()) {
                throw new QuotaExceededException(
                        org,
                        "organisation '" + org + "' has " + unfinished + " unfinished runs, its quota is "
                                + quota.maxActiveRuns() + " (maxActiveRuns); retry when some have finished",
                        Duration.ofSeconds(1));
            }
        }
        if (quota.schedulesPerSecond() != null) {
            long second = now.getEpochSecond();
            List<Long> counted = tx.query(READ_SECOND, rs -> rs.getLong(1), org, second);
            long count = counted.isEmpty() ? 0 : counted.get(0);
            double allowed = Math.max(1, Math.floor(quota.schedulesPerSecond()));
            if (count >= allowed) {
                throw new QuotaExceededException(
                        org,
                        "organisation '" + org + "' may schedule " + quota.schedulesPerSecond()
                                + " runs per second (schedulesPerSecond); retry in a second",
                        Duration.ofMillis(1_000 - now.getNano() / 1_000_000));
            }
            tx.update(COUNT_SECOND, org, second);
            if (count == 0) tx.update(FORGET_OLD_SECONDS, org, second - 60);
        }
    }
}
