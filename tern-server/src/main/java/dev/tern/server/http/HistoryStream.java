package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.LiveToken;
import dev.tern.engine.TernEngine;
import dev.tern.engine.TernJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes one run's history to one SSE connection: every event after {@code after} as {@code id: <eventSequence>},
 * {@code event: <type>}, {@code data: <event JSON>}, then waits for more, with a comment heartbeat when idle, until the
 * run's terminal event has been sent (a stream resumed after that event is answered 204 before it starts, see
 * {@link DeliveryRoutes}). Between history events it writes the text steps stream while they execute as {@code event:
 * token} without an id (tokens are not history, so a reconnect resumes from the last event, not token). Runs on the
 * request's virtual thread; a write to a client that went away ends it.
 */
final class HistoryStream {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int PAGE = 500;
    private static final Set<HistoryEventType> TERMINAL =
            Set.of(HistoryEventType.RUN_COMPLETED, HistoryEventType.RUN_FAILED, HistoryEventType.RUN_CANCELLED);
    private static final Set<HistoryEventType> STEP_ENDS =
            Set.of(HistoryEventType.STEP_COMPLETED, HistoryEventType.STEP_FAILED);

    private final TernEngine engine;
    private final String runId;
    private final OutputStream out;
    private final Duration heartbeat;
    private final ConcurrentLinkedQueue<LiveToken> tokens = new ConcurrentLinkedQueue<>();
    /** Steps whose end was sent: a token of theirs still queued is stale and dropped. */
    private final Set<Integer> endedSteps = new HashSet<>();

    private long after;

    HistoryStream(TernEngine engine, String runId, long after, OutputStream out, Duration heartbeat) {
        this.engine = engine;
        this.runId = runId;
        this.after = after;
        this.out = out;
        this.heartbeat = heartbeat;
    }

    /** Streams until the run has ended and all of its history was sent; an IOException means the client left. */
    void run() throws IOException, InterruptedException {
        // subscribe before the first read, so that no token falls between the history and the live part
        try (AutoCloseable subscription = engine.onTokens(runId, tokens::add)) {
            stream();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void stream() throws IOException, InterruptedException {
        write("retry: 1000\n: streaming " + runId + "\n\n");
        // send the headers now: a stream resumed at the latest event of an idle run may have nothing else to say for a
        // while
        out.flush();
        long lastWrite = System.nanoTime();
        while (true) {
            List<HistoryEvent> events = engine.history(runId, after, PAGE);
            // a step publishes its tokens before its end commits: every token of a step whose end was just read is
            // queued by now
            List<LiveToken> live = new ArrayList<>();
            for (LiveToken t; (t = tokens.poll()) != null; ) live.add(t);
            boolean ended = false;
            boolean wrote = false;
            for (HistoryEvent e : events) {
                boolean stepEnd = STEP_ENDS.contains(e.type()) && e.stepSeq() != null;
                if (stepEnd) wrote |= writeTokens(live, e.stepSeq());
                String data = TernJson.write(RunViews.event(e));
                write("id: " + e.eventSequence() + "\nevent: " + e.type().wireName() + "\ndata: " + data + "\n\n");
                wrote = true;
                after = e.eventSequence();
                ended |= TERMINAL.contains(e.type());
                if (stepEnd) endedSteps.add(e.stepSeq());
            }
            wrote |= writeTokens(live, null);
            if (wrote) {
                out.flush();
                lastWrite = System.nanoTime();
            }
            if (ended) return;
            if (events.size() == PAGE) continue;
            if (events.isEmpty()
                    && engine.requireRun(runId).status().isTerminal()
                    && engine.history(runId, after, 1).isEmpty()) return;
            Duration idle = Duration.ofNanos(System.nanoTime() - lastWrite);
            if (!engine.awaitHistoryOr(runId, after, heartbeat.minus(idle), () -> !tokens.isEmpty())) {
                write(": heartbeat\n\n");
                out.flush();
                lastWrite = System.nanoTime();
            }
        }
    }

    /**
     * Writes and removes the tokens of {@code step} ({@code null}: of every step) from {@code live}, in order, dropping
     * those of steps whose end was already sent; true if any was written.
     */
    private boolean writeTokens(List<LiveToken> live, Integer step) throws IOException {
        boolean wrote = false;
        for (var it = live.iterator(); it.hasNext(); ) {
            LiveToken t = it.next();
            if (step != null && t.stepSeq() != step) continue;
            it.remove();
            if (endedSteps.contains(t.stepSeq())) continue;
            var data = JsonNodeFactory.instance
                    .objectNode()
                    .put("stepSeq", t.stepSeq())
                    .put("attempt", t.attempt())
                    .put("text", t.text());
            write("event: token\ndata: " + TernJson.write(data) + "\n\n");
            wrote = true;
        }
        return wrote;
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
