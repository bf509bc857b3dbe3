package dev.tern.engine.internal.webhook;

import dev.tern.engine.WebhookDelivery;
import dev.tern.engine.WebhookSettings;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.store.WebhookQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook outbox: polls for due deliveries, claims them (one node sends each), POSTs each on a virtual
 * thread, and records the attempt: 2xx is delivered, anything else is retried after the settings' backoff until the
 * attempts run out. A node that dies mid-send leaves its claim to expire, so the delivery is sent again: at least once.
 */
public final class WebhookDeliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_IN_FLIGHT = 64;

    private final RunStore store;
    private final WebhookQueue queue;
    private final WebhookSettings settings;
    private final Clock clock;
    /**
     * Made at the first delivery: building a client sets up TLS (some 200 ms of a cold start, on the path of every
     * restart, while most nodes never deliver a webhook).
     */
    private HttpClient http;

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread thread;
    private volatile boolean closed;

    private final dev.tern.engine.internal.telemetry.EngineMetrics metrics;

    public WebhookDeliverer(
            RunStore store,
            WebhookSettings settings,
            Clock clock,
            dev.tern.engine.internal.telemetry.EngineMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.queue = store.webhooks();
        this.settings = settings;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("tern-webhooks").daemon().unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                Instant now = clock.instant();
                int free = inFlight.availablePermits();
                if (free > 0 && queue.anyDue(now)) {
                    List<WebhookQueue.Due> due = Futures.await(queue.claim(
                            now, free, now.plus(settings.requestTimeout()).plusSeconds(20)));
                    for (WebhookQueue.Due d : due) {
                        inFlight.acquireUninterruptibly();
                        Thread.ofVirtual().name("tern-webhook-" + d.id()).start(() -> {
                            try {
                                send(d);
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                    if (due.size() == free) continue;
                }
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("webhook delivery loop: {}", e.getMessage());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** What went wrong sending, in words a client reads (the exception's class stays in the log). */
    static String describe(Exception e) {
        if (e instanceof java.net.http.HttpTimeoutException) return "no answer within the request timeout";
        if (e instanceof java.net.ConnectException) return "connection refused or unreachable";
        if (e instanceof java.net.UnknownHostException || e.getCause() instanceof java.net.UnknownHostException)
            return "unknown host";
        if (e instanceof javax.net.ssl.SSLException) return "TLS handshake failed";
        if (e instanceof java.io.IOException)
            return "the connection failed" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        if (e instanceof IllegalArgumentException) return "the URL cannot be called";
        return "the delivery failed";
    }

    private void send(WebhookQueue.Due d) {
        int attempt = d.attempts() + 1;
        Instant at = clock.instant();
        long started = System.nanoTime();
        Integer statusCode = null;
        String error = null;
        boolean runGone = false;
        try {
            Optional<StoredRun> run = store.findRun(d.runId());
            if (run.isEmpty()) {
                runGone = true;
                error = "run " + d.runId() + " no longer exists";
            } else {
                String body = WebhookPayload.body(d, run.get());
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(d.url()))
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Tern-Webhooks/1")
                        .header("Tern-Delivery-Id", d.id())
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (settings.secret() != null) {
                    request.header(
                            WebhookSignature.HEADER,
                            WebhookSignature.header(settings.secret(), at.getEpochSecond(), body));
                }
                statusCode = http().send(request.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = describe(e);
            log.debug("webhook delivery {} attempt {} failed", d.id(), attempt, e);
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        boolean ok = statusCode != null && statusCode >= 200 && statusCode < 300;
        String state = ok
                ? WebhookDelivery.DELIVERED
                : attempt >= settings.maxAttempts() || runGone ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
        metrics.webhookDelivery(WebhookDelivery.PENDING.equals(state) ? "retrying" : state);
        Instant next =
                WebhookDelivery.PENDING.equals(state) ? clock.instant().plus(settings.backoffAfter(attempt)) : null;
        if (!ok) {
            log.info(
                    "webhook delivery {} of run {} attempt {} failed ({}){}",
                    d.id(),
                    d.runId(),
                    attempt,
                    statusCode != null ? "HTTP " + statusCode : error,
                    next != null ? "; retrying at " + next : "; giving up");
        }
        try {
            Futures.await(queue.record(
                    new WebhookQueue.Outcome(d.id(), attempt, at, statusCode, error, millis, state, next)));
        } catch (RuntimeException e) {
            log.warn("recording webhook attempt {} of {} failed: {}", attempt, d.id(), e.getMessage());
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(settings.requestTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (http != null) http.close();
        }
    }
}
