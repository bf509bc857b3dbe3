package dev.tern.server.http;

import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.TernEngine;
import dev.tern.engine.internal.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Writes one run's history to one SSE connection: every event after {@code after} as
 * {@code id: <eventSequence>}, {@code event: <type>}, {@code data: <event JSON>}, then waits for
 * more, with a comment heartbeat when idle, until the run's terminal event has been sent. Runs on
 * the request's virtual thread; a write to a client that went away ends it.
 */
final class HistoryStream {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final int PAGE = 500;
  private static final Set<HistoryEventType> TERMINAL =
      Set.of(HistoryEventType.RUN_COMPLETED, HistoryEventType.RUN_FAILED, HistoryEventType.RUN_CANCELLED);

  private final TernEngine engine;
  private final String runId;
  private final OutputStream out;
  private final Duration heartbeat;
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
    write("retry: 1000\n: streaming " + runId + "\n\n");
    long lastWrite = System.nanoTime();
    while (true) {
      List<HistoryEvent> events = engine.history(runId, after, PAGE);
      boolean ended = false;
      for (HistoryEvent e : events) {
        write("id: " + e.eventSequence() + "\nevent: " + e.type().wireName() + "\ndata: " + Json.write(RunViews.event(e)) + "\n\n");
        after = e.eventSequence();
        ended |= TERMINAL.contains(e.type());
      }
      if (!events.isEmpty()) {
        out.flush();
        lastWrite = System.nanoTime();
      }
      if (ended) return;
      if (events.size() == PAGE) continue;
      if (events.isEmpty() && engine.requireRun(runId).status().isTerminal() && engine.history(runId, after, 1).isEmpty()) return;
      Duration idle = Duration.ofNanos(System.nanoTime() - lastWrite);
      if (!engine.awaitHistory(runId, after, heartbeat.minus(idle))) {
        write(": heartbeat\n\n");
        out.flush();
        lastWrite = System.nanoTime();
      }
    }
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
