package dev.tern.engine.internal.exec;

import java.util.List;
import java.util.Set;

/**
 * Which runs a node owns but executes nowhere, as its lease renewals find them. On the first renewal every such run is
 * an orphan (owned under this node's id before a restart). Later, a run the renewal read as owned may have suspended or
 * ended just after (the renewal waits for claims in flight, seconds on a busy store): only a run found so by two
 * renewals in a row is an orphan. Releasing the false ones did no harm but took the writer for one statement each:
 * 2,781 at once in the full-size waiting-runs bench.
 */
final class OrphanWatch {
    private Set<String> suspects = Set.of();
    private boolean first = true;

    /** The orphans among {@code unexecuted}, the runs this renewal found owned here with no execution. */
    List<String> orphans(List<String> unexecuted) {
        Set<String> seenBefore = suspects;
        suspects = Set.copyOf(unexecuted);
        if (first) {
            first = false;
            return List.copyOf(unexecuted);
        }
        return unexecuted.stream().filter(seenBefore::contains).toList();
    }
}
