package dev.tern.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The last few runs that ended on this node, as their ends left them. A run of one quick step ends while its creation
 * commits (the two share the commit), so its creator, answered only then, always asks for an end that has already come
 * and gone: without these it read the run back from the store (a fifth of such a run's time on SQLite). An ended run
 * does not change, so a kept one is never stale. Bounded by count, oldest out first: as many as a burst of such asks
 * needs, whatever the runs' inputs weigh; and by age, so that a run the store has since let go (retention deletes runs
 * ended days ago) is never answered from here.
 */
final class RecentEnds {
    static final int CAPACITY = 64;
    static final long MAX_AGE_NANOS = 60_000_000_000L;

    private record Kept(RunRecord run, long at) {}

    private final LongSupplier nanoTime;
    private final String[] order = new String[CAPACITY];
    private final Map<String, Kept> byId = new HashMap<>();
    private int next;

    RecentEnds() {
        this(System::nanoTime);
    }

    /** {@code nanoTime}: the clock ages are read from. */
    RecentEnds(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Keeps {@code run}, dropping the oldest kept run when full. */
    synchronized void keep(RunRecord run) {
        String oldest = order[next];
        if (oldest != null) byId.remove(oldest);
        if (byId.put(run.id(), new Kept(run, nanoTime.getAsLong())) != null) {
            // kept already (told twice): keep one slot for it, the newest
            for (int i = 0; i < CAPACITY; i++) if (run.id().equals(order[i])) order[i] = null;
        }
        order[next] = run.id();
        next = (next + 1) % CAPACITY;
    }

    /** The run as it ended here, if it is among those kept and ended less than a minute ago. */
    synchronized RunRecord ended(String runId) {
        Kept kept = byId.get(runId);
        return kept == null || nanoTime.getAsLong() - kept.at() > MAX_AGE_NANOS ? null : kept.run();
    }
}
