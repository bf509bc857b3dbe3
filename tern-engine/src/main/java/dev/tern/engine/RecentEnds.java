package dev.tern.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The last few runs that ended on this node, as their ends left them. A run of one quick step ends while its creation
 * commits (the two share the commit), so its creator, answered only then, always asks for an end that has already come
 * and gone: without these it read the run back from the store (a fifth of such a run's time on SQLite). An ended run
 * does not change, so a kept one is never stale. Bounded by count, oldest out first: as many as a burst of such asks
 * needs, whatever the runs' inputs weigh.
 */
final class RecentEnds {
    static final int CAPACITY = 64;

    private final String[] order = new String[CAPACITY];
    private final Map<String, RunRecord> byId = new HashMap<>();
    private int next;

    /** Keeps {@code run}, dropping the oldest kept run when full. */
    synchronized void keep(RunRecord run) {
        String oldest = order[next];
        if (oldest != null) byId.remove(oldest);
        if (byId.put(run.id(), run) != null) {
            // kept already (told twice): keep one slot for it, the newest
            for (int i = 0; i < CAPACITY; i++) if (run.id().equals(order[i])) order[i] = null;
        }
        order[next] = run.id();
        next = (next + 1) % CAPACITY;
    }

    /** The run as it ended here, if it is among those kept. */
    synchronized RunRecord ended(String runId) {
        return byId.get(runId);
    }
}
