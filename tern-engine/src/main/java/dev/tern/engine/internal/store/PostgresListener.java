package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN}s on a dedicated connection and hands each notification to the engine, but for the signals for one run
 * this node's own writer lanes sent ({@link WriterBackends}): the node told itself of those as they committed. When the
 * connection drops it reconnects with backoff and reports a {@code WORK} signal, since notifications may have been
 * missed (polling covers the gap meanwhile).
 */
final class PostgresListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);

    private final String jdbcUrl;
    private final Consumer<Signal> handler;
    private final RunAnnouncer announcer;
    private final WriterBackends own;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    PostgresListener(String jdbcUrl, Consumer<Signal> handler, RunAnnouncer announcer, WriterBackends own) {
        this.jdbcUrl = jdbcUrl;
        this.handler = handler;
        this.announcer = announcer;
        this.own = own;
        this.thread = Thread.ofPlatform().name("tern-pg-listener").daemon().start(this::loop);
    }

    private void loop() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                connection = c;
                PostgresChannel.SIGNALS.listen(c);
                backoff = 100;
                handler.accept(new Signal(Signal.Kind.WORK, null));
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) {
                        if (announcer.heard(n.getParameter())) continue;
                        Signal signal = Signal.parse(n.getParameter());
                        if (signal == null || signal.kind().forOneRun() && own.includes(n.getPID())) continue;
                        handler.accept(signal);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.warn("listening for signals failed ({}); reconnecting in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
