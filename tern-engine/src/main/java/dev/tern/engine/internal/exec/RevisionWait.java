package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run whose revision this node has not loaded waits, visibly ({@code waiting_on = revision_unavailable}), for a node
 * that has it; it is never failed for want of code here. The claim query already skips runs pinned to a revision the
 * node lacks; this marks those that stay due, and puts back a run claimed anyway (one recorded before revisions whose
 * definition is not loaded here).
 */
final class RevisionWait {
    private static final Logger log = LoggerFactory.getLogger(RevisionWait.class);
    /** How long a run claimed without its code here waits before a node tries it again. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private RevisionWait() {}

    /** Puts the claimed run back, waiting on its revision; false: the run did not finish here. */
    static boolean park(ExecutionHost host, String runId, int attempt, RunStart run) {
        Instant now = host.clock().instant();
        log.warn(
                "run {}: no {} '{}' in revision {} on this node; it waits for a node that has it",
                runId,
                run.kind(),
                run.name(),
                run.revision() == null ? "(any)" : run.revision());
        Futures.await(host.store().parkUnavailable(runId, attempt, now.plus(RETRY), now));
        return false;
    }

    /**
     * Marks the runs due for longer than {@code grace} whose revision this node lacks (no node took them meanwhile);
     * the node that claims one clears the mark.
     */
    static void markUnavailable(RunStore store, Set<String> revisions, Instant now, long graceMillis) {
        int marked = Futures.await(store.markRevisionUnavailable(revisions, now.minusMillis(graceMillis), now));
        if (marked > 0) log.info("{} due run(s) wait for a revision this node has not loaded", marked);
    }
}
