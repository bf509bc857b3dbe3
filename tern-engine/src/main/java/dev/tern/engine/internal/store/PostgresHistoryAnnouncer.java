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
 * History announcements on PostgreSQL, sent only while another node streams a history. A node whose streams wait says
 * so with {@code NOTIFY tern_signals, 'WATCH:<origin>'} at most every {@link #RENEW_NANOS}; every other node then adds
 * one {@code pg_notify} per grown history to its commits for {@link #WATCHED_NANOS}. A stream re-reads the store every
 * second whatever it hears (see {@code HistoryWatch}), so an announcement lost or not yet sent costs latency, not
 * events. Before, a trigger notified every node of every history row: at 1,500 workflows a second, thousands of
 * notifications nobody waited for.
 */
final class PostgresHistoryAnnouncer implements HistoryAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(PostgresHistoryAnnouncer.class);
    static final String WATCH = "WATCH:";
    static final long RENEW_NANOS = 10_000_000_000L;
    static final long WATCHED_NANOS = 30_000_000_000L;
    /** One notification per run: run ids never hold a comma. */
    static final String ANNOUNCE = "SELECT count(pg_notify('" + Signal.CHANNEL + "', '" + Signal.Kind.HISTORY.name()
            + ":' || r)) FROM unnest(string_to_array(?, ',')) r";

    private final DataSource pool;
    private final String origin = UUID.randomUUID().toString();
    private volatile long watchedUntil = System.nanoTime();
    private volatile long announcedAt = System.nanoTime() - 2 * RENEW_NANOS;

    PostgresHistoryAnnouncer(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void announce(Tx tx, Set<String> runIds) throws SQLException {
        if (runIds.isEmpty() || watchedUntil - System.nanoTime() <= 0) return;
        tx.query(ANNOUNCE, rs -> null, String.join(",", runIds));
    }

    @Override
    public void watching() {
        long now = System.nanoTime();
        if (now - announcedAt < RENEW_NANOS) return;
        announcedAt = now;
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + Signal.CHANNEL + "', ?)")) {
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
