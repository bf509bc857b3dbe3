package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.InboxEvent;
import dev.tern.engine.internal.store.RunStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A run's inbox as one execution reads it: events fetched once each, in arrival order, and which of them the run has
 * consumed (replayed waits mark theirs, so live waits skip them).
 */
final class InboxCursor {
    private final RunStore store;
    private final String runId;
    private final Set<Long> consumed = new HashSet<>();
    private final List<InboxEvent> fetched = new ArrayList<>();
    private long fetchedUpTo;

    InboxCursor(RunStore store, String runId) {
        this.store = store;
        this.runId = runId;
    }

    /**
     * The first event, in arrival order, not consumed yet that {@code accepts}; reads what arrived since the last call.
     */
    InboxEvent next(Predicate<InboxEvent> accepts) {
        for (InboxEvent e : Durable.read(() -> store.inbox(runId, fetchedUpTo))) {
            fetched.add(e);
            fetchedUpTo = Math.max(fetchedUpTo, e.inboxSeq());
        }
        for (InboxEvent e : fetched) {
            if (!consumed.contains(e.inboxSeq()) && accepts.test(e)) return e;
        }
        return null;
    }

    void consume(long inboxSeq) {
        consumed.add(inboxSeq);
    }

    Set<Long> consumed() {
        return consumed;
    }
}
