package dev.tern.engine;

import java.util.LinkedHashMap;
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
    /** In the order they were kept, oldest first. */
    private final Map<String, Kept> byId = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > CAPACITY;
        }
    };

    RecentEnds() {
        this(System::nanoTime);
    }

    /** {@code nanoTime}: the clock ages are read from. */
    RecentEnds(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Keeps {@code run} as the newest (told twice, it holds one place), dropping the oldest kept run when full. */
    synchronized void keep(RunRecord run) {
        byId.remove(run.id());
        byId.put(run.id(), new Kept(run, nanoTime.getAsLong()));
    }

    /** The run as it ended here, if it is among those kept and ended less than a minute ago. */
    synchronized RunRecord ended(String runId) {
        Kept kept = byId.get(runId);
        return kept == null || nanoTime.getAsLong() - kept.at() > MAX_AGE_NANOS ? null : kept.run();
    }
}
