package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.LiveToken;
import dev.tern.engine.internal.json.Json;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays tokens between nodes with {@code NOTIFY} on the tokens channel ({@link PostgresChannel}): the node executing a
 * step sends what its step streamed every {@link #LINGER_MS} ms, consecutive pieces of one step merged into one
 * notification (at most {@link #MAX_CHARS} characters, under PostgreSQL's 8,000-byte payload limit); every node
 * {@code LISTEN}s and hands other nodes' tokens to its streams. Two dedicated connections, neither in a transaction the
 * writer uses.
 */
final class PostgresTokenRelay implements TokenRelay {
    private static final Logger log = LoggerFactory.getLogger(PostgresTokenRelay.class);
    static final long LINGER_MS = 20;
    static final int MAX_CHARS = 2_000;

    private final String jdbcUrl;
    private final String origin = UUID.randomUUID().toString();
    private final LinkedBlockingQueue<LiveToken> outbox = new LinkedBlockingQueue<>(100_000);
    private final List<Consumer<LiveToken>> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
    private volatile long sent;
    private final Object sentSignal = new Object();
    /** Longest a step's checkpoint waits for its last tokens to be relayed. */
    static final long FLUSH_WAIT_MS = 200;

    private Thread sender;
    private Thread listener;

    PostgresTokenRelay(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public synchronized void publish(LiveToken token) {
        if (closed) return;
        if (sender == null)
            sender = Thread.ofPlatform().name("tern-token-sender").daemon().start(this::send);
        if (!outbox.offer(token)) {
            log.debug("token relay full; a live token of run {} was dropped", token.runId());
            return;
        }
        published.incrementAndGet();
    }

    @Override
    public void flush() {
        long target = published.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MS);
        synchronized (sentSignal) {
            while (sent < target && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                try {
                    TimeUnit.NANOSECONDS.timedWait(sentSignal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void subscribe(Consumer<LiveToken> handler) {
        handlers.add(handler);
        if (listener == null)
            listener = Thread.ofPlatform().name("tern-token-listener").daemon().start(this::listen);
    }

    private void send() {
        Connection c = null;
        while (!closed) {
            try {
                LiveToken first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                Thread.sleep(LINGER_MS);
                List<LiveToken> batch = new ArrayList<>();
                batch.add(first);
                outbox.drainTo(batch);
                if (c == null || c.isClosed()) c = DriverManager.getConnection(jdbcUrl);
                try (PreparedStatement s =
                        c.prepareStatement("SELECT pg_notify(" + PostgresChannel.TOKENS.sql() + ", ?)")) {
                    for (LiveToken t : merge(batch)) {
                        s.setString(1, payload(t));
                        s.execute();
                    }
                } finally {
                    markSent(batch.size());
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                log.debug("relaying tokens failed ({}); they are dropped", e.getMessage());
                close(c);
                c = null;
            }
        }
        close(c);
    }

    private void markSent(int count) {
        synchronized (sentSignal) {
            sent += count;
            sentSignal.notifyAll();
        }
    }

    /** Joins consecutive pieces of the same step attempt, in order, into pieces of at most {@link #MAX_CHARS}. */
    static List<LiveToken> merge(List<LiveToken> tokens) {
        List<LiveToken> out = new ArrayList<>();
        LiveToken current = null;
        StringBuilder text = new StringBuilder();
        for (LiveToken t : tokens) {
            boolean same = current != null
                    && current.runId().equals(t.runId())
                    && current.stepSeq() == t.stepSeq()
                    && current.attempt() == t.attempt()
                    && text.length() + t.text().length() <= MAX_CHARS;
            if (!same) {
                if (current != null)
                    out.add(new LiveToken(current.runId(), current.stepSeq(), current.attempt(), text.toString()));
                current = t;
                text.setLength(0);
            }
            text.append(t.text());
            while (text.length() > MAX_CHARS) {
                out.add(new LiveToken(
                        current.runId(), current.stepSeq(), current.attempt(), text.substring(0, MAX_CHARS)));
                text.delete(0, MAX_CHARS);
            }
        }
        if (current != null && !text.isEmpty())
            out.add(new LiveToken(current.runId(), current.stepSeq(), current.attempt(), text.toString()));
        return out;
    }

    private String payload(LiveToken t) {
        return Json.write(Json.MAPPER
                .createObjectNode()
                .put("o", origin)
                .put("r", t.runId())
                .put("s", t.stepSeq())
                .put("a", t.attempt())
                .put("t", t.text()));
    }

    private void listen() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                PostgresChannel.TOKENS.listen(c);
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) deliver(n.getParameter());
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.debug("listening for tokens failed ({}); reconnecting in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void deliver(String payload) {
        JsonNode n = Json.parse(payload);
        if (origin.equals(n.path("o").asText())) return;
        LiveToken token = new LiveToken(
                n.path("r").asText(),
                n.path("s").asInt(),
                n.path("a").asInt(),
                n.path("t").asText());
        for (Consumer<LiveToken> h : handlers) h.accept(token);
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread s = sender;
        Thread l = listener;
        if (s != null) s.interrupt();
        if (l != null) l.interrupt();
    }
}
