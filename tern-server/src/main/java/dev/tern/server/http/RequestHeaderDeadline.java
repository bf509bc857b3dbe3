package dev.tern.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose next request line and headers have not fully arrived within the timeout, counted from when
 * the connection began waiting for them (its opening, or the end of its previous exchange). This is what stops a client
 * that trickles a byte every few seconds, which the idle timeout alone never does. Once a request's headers are in, the
 * deadline is off: long-polls and event streams run as long as they need; bodies are held to a minimum data rate. A
 * bean of the connector: Jetty reports connections and requests to it and starts and stops it.
 */
final class RequestHeaderDeadline extends AbstractLifeCycle implements Connection.Listener, HttpChannel.Listener {
    private static final Logger log = LoggerFactory.getLogger(RequestHeaderDeadline.class);

    private final long timeoutNanos;
    private final long sweepMillis;
    /** Connections waiting for a request's headers, with the System.nanoTime() they began waiting. */
    private final Map<EndPoint, Long> waiting = new ConcurrentHashMap<>();

    private ScheduledExecutorService sweeper;

    RequestHeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.clamp(timeout.toMillis() / 4, 25, 1000);
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tern-request-deadline").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (sweeper != null) sweeper.shutdownNow();
        waiting.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        waiting.put(connection.getEndPoint(), System.nanoTime());
    }

    @Override
    public void onClosed(Connection connection) {
        waiting.remove(connection.getEndPoint());
    }

    /** The request line and headers are in. */
    @Override
    public void onRequestBegin(Request request) {
        waiting.remove(request.getHttpChannel().getEndPoint());
    }

    /** The exchange is over: a persistent connection now waits for its next request. */
    @Override
    public void onComplete(Request request) {
        EndPoint endPoint = request.getHttpChannel().getEndPoint();
        if (endPoint.isOpen()) waiting.put(endPoint, System.nanoTime());
    }

    private void sweep() {
        long now = System.nanoTime();
        waiting.forEach((endPoint, since) -> {
            if (!endPoint.isOpen()) {
                waiting.remove(endPoint, since);
            } else if (now - since > timeoutNanos && waiting.remove(endPoint, since)) {
                log.debug(
                        "closing {}: no complete request headers within the request timeout",
                        endPoint.getRemoteSocketAddress());
                endPoint.close();
            }
        });
    }
}
