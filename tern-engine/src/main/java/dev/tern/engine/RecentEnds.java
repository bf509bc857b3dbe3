package dev.tern.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runs that ended on this node a moment ago, as their ends left them, for a caller that asks to wait for one just
 * after it ended. A client that schedules a run and then long-polls for its result (or a thread that schedules and then
 * awaits, on a busy machine) often arrives after a short run's last commit: it would read the run back from the store,
 * one query for a record this node held a moment before. It gets that record instead, the same one a waiter that came
 * in time is handed. A finished run never changes, so the record is the run as it stands.
 *
 * <p>Holds at most {@value #CAPACITY} runs, each for at most {@link #KEPT_NANOS} nanoseconds (a run older than that is
 * read from the store as before); a run's outputs may be large, so the oldest go as new ones come.
 */
final class RecentEnds {
    static final int CAPACITY = 1024;
    static final long KEPT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Ended(RunRecord run, long at) {}

    private final LinkedHashMap<String, Ended> byId = new LinkedHashMap<>();

    /** Remembers that {@code run} ended here now; only a terminal run is kept. */
    void add(RunRecord run) {
        if (!run.status().isTerminal()) return;
        long now = System.nanoTime();
        synchronized (byId) {
            byId.put(run.id(), new Ended(run, now));
            Iterator<Map.Entry<String, Ended>> oldest = byId.entrySet().iterator();
            while (oldest.hasNext()) {
                Ended next = oldest.next().getValue();
                if (byId.size() <= CAPACITY && now - next.at() <= KEPT_NANOS) break;
                oldest.remove();
            }
        }
    }

    /** The run as its end here left it, if it ended here within the time kept; else null (read it). */
    RunRecord get(String runId) {
        Ended ended;
        synchronized (byId) {
            ended = byId.get(runId);
        }
        return ended != null && System.nanoTime() - ended.at() <= KEPT_NANOS ? ended.run() : null;
    }
}
