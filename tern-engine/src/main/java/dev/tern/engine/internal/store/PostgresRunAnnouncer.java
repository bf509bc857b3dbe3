package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announcements on PostgreSQL, sent only while another node waits on some run. A node whose waiters look says so with
 * {@code 'WATCH:<origin>'} on the signals channel ({@link PostgresChannel}) at most every {@link #RENEW_NANOS}; every
 * other node then, for {@link #WATCHED_NANOS}, adds one {@code pg_notify} per grown history to its commits and notifies
 * each run's end (see {@link PostgresEndSql#END}). Before, a trigger notified every node of every history row, and
 * every end was notified: at 1,500 workflows a second, thousands of notifications nobody waited for.
 */
final class PostgresRunAnnouncer implements RunAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(PostgresRunAnnouncer.class);
    static final String WATCH = "WATCH:";
    static final long RENEW_NANOS = 10_000_000_000L;
    static final long WATCHED_NANOS = 30_000_000_000L;
    /** One notification per run: run ids never hold a comma. */
    static final String ANNOUNCE = "SELECT count(pg_notify(" + PostgresChannel.SIGNALS.sql() + ", '"
            + Signal.Kind.HISTORY.name() + ":' || r)) FROM unnest(string_to_array(?, ',')) r";

    private final DataSource pool;
    private final String origin = UUID.randomUUID().toString();
    private volatile long watchedUntil = System.nanoTime();
    private volatile long announcedAt = System.nanoTime() - 2 * RENEW_NANOS;

    PostgresRunAnnouncer(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void announce(Tx tx, Set<String> runIds) throws SQLException {
        if (runIds.isEmpty() || !watchedElsewhere()) return;
        tx.query(ANNOUNCE, rs -> null, String.join(",", runIds));
    }

    @Override
    public boolean watchedElsewhere() {
        return watchedUntil - System.nanoTime() > 0;
    }

    @Override
    public void watching() {
        long now = System.nanoTime();
        if (now - announcedAt < RENEW_NANOS) return;
        announcedAt = now;
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(PostgresRunWrites.NOTIFY)) {
            ps.setString(1, WATCH + origin);
            ps.execute();
        } catch (SQLException e) {
            announcedAt = now - RENEW_NANOS; // try again at the next call; meanwhile streams re-read each second
            log.debug("could not tell other nodes that streams watch here: {}", e.getMessage());
        }
    }

    @Override
    public boolean heard(String payload) {
        if (!payload.startsWith(WATCH)) return false;
        if (!payload.equals(WATCH + origin)) watchedUntil = System.nanoTime() + WATCHED_NANOS;
        return true;
    }
}
