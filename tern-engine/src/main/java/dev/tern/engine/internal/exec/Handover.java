package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node that shuts down does with the runs it executes: they stop where they are (their steps interrupted), and
 * once they have stopped, or after {@link #STOP_WAIT}, the runs are given back: made due with no owner, so another node
 * (or this one after a restart) claims them at once instead of waiting for their leases to run out. A run that finished
 * or suspended meanwhile is not touched (the release only takes runs this node still owns and executes), and an
 * execution still stopping when its run is given back is fenced off like one whose lease lapsed.
 */
final class Handover {
    private static final Logger log = LoggerFactory.getLogger(Handover.class);

    /** How long a shutdown waits for its executions to stop before giving their runs back anyway. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private Handover() {}

    /** Waits for {@code active} to empty (at most {@link #STOP_WAIT}), then releases {@code runIds}. */
    static void giveBack(RunStore store, String nodeId, Clock clock, Map<String, ?> active, List<String> runIds) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            while (!active.isEmpty() && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runIds.isEmpty()) return;
        try {
            int released =
                    store.releaseRuns(nodeId, runIds, clock.instant()).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (released > 0) log.info("shutting down: gave back {} run(s) for other nodes to resume", released);
        } catch (Exception e) {
            // the store is failing or slow: the runs' leases lapse instead, as after a crash
            log.info(
                    "shutting down: could not give back {} run(s) ({}); they resume when their leases lapse",
                    runIds.size(),
                    e.toString());
        }
    }
}
