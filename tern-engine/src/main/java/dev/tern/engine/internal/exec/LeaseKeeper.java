package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.OwnedRun;
import dev.tern.engine.internal.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the runs this node executes, every third of a lease: renews them, releases runs the store shows
 * as this node's that no execution runs ({@link OrphanWatch}), stops executions whose lease another node took, and
 * passes cancel requests on to the executions they are for.
 */
final class LeaseKeeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final RunStore store;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final Map<String, RunExecution> active;
    private final Set<String> starting;
    private final ClaimTally claims;
    private final BooleanSupplier closed;

    /**
     * Keeps the leases of {@code active} (executing here) and {@code starting} (created here, about to execute), as the
     * dispatcher's {@code claims} register them, until {@code closed}.
     */
    LeaseKeeper(
            RunStore store,
            Clock clock,
            Dispatcher.Settings settings,
            Map<String, RunExecution> active,
            Set<String> starting,
            ClaimTally claims,
            BooleanSupplier closed) {
        this.store = store;
        this.clock = clock;
        this.nodeId = settings.nodeId();
        this.lease = settings.leaseDuration();
        this.active = active;
        this.starting = starting;
        this.claims = claims;
        this.closed = closed;
    }

    @Override
    public void run() {
        long every = Math.max(100, lease.toMillis() / 3);
        // the first pass runs at once: runs this node id owned before a restart are released without waiting a period
        OrphanWatch orphanWatch = new OrphanWatch();
        for (boolean first = true; !closed.getAsBoolean(); first = false) {
            if (!first) Pause.quietly(every);
            if (closed.getAsBoolean()) continue;
            try {
                Map<String, RunExecution> before = Map.copyOf(active);
                Instant now = clock.instant();
                List<OwnedRun> owned = Futures.await(store.renewLeases(nodeId, now, now.plus(lease)));
                // a claimed run not yet in active looks orphaned: a claim slower than a period skips the check
                boolean claimsSettled = claims.awaitRegistered(claims.begun(), every, closed);
                Map<String, OwnedRun> byId = new java.util.HashMap<>();
                owned.forEach(o -> byId.put(o.runId(), o));
                List<String> unexecuted = owned.stream()
                        .map(OwnedRun::runId)
                        .filter(id -> !active.containsKey(id) && !starting.contains(id))
                        .toList();
                List<String> orphans = claimsSettled ? orphanWatch.orphans(unexecuted) : List.of();
                if (!orphans.isEmpty()) {
                    log.warn("releasing {} run(s) owned by this node that no execution is running", orphans.size());
                    Futures.await(store.releaseRuns(nodeId, orphans, clock.instant()));
                }
                before.forEach((runId, execution) -> {
                    OwnedRun o = byId.get(runId);
                    if (o == null || o.attempt() != execution.attempt()) {
                        if (active.get(runId) == execution && execution.startedBefore(now) && !execution.isEnding()) {
                            log.warn(
                                    "run {} is no longer owned by this node (lease lost); stopping its execution",
                                    runId);
                            execution.stop();
                        }
                    } else if (o.cancelRequested()) {
                        execution.requestCancel();
                    }
                });
            } catch (RuntimeException e) {
                log.warn("lease renewal failed: {}", e.toString());
            }
        }
    }
}
