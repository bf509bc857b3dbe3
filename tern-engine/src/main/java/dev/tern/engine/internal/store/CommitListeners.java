package dev.tern.engine.internal.store;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a writer tells of each durable commit: the store's metrics (its duration and size), then, once its writes'
 * futures are complete, the runs whose history it grew (streams of them wake) and the signals its transaction noted for
 * this node ({@link Tx#signal}). A listener that throws is logged; it never fails the commit.
 */
final class CommitListeners {
    private static final Logger log = LoggerFactory.getLogger(CommitListeners.class);

    private volatile CommitListener metrics = (nanos, writes) -> {};
    private volatile Consumer<Set<String>> history = runs -> {};
    private volatile Consumer<Signal> signals = signal -> {};

    /** After each commit, tells {@code listener} its duration and size (the store's metrics). */
    void onCommit(CommitListener listener) {
        this.metrics = listener;
    }

    /**
     * After each commit, hands the ids of runs whose history grew to {@code listener} (other nodes learn of it from the
     * {@link RunAnnouncer}).
     */
    void onHistory(Consumer<Set<String>> listener) {
        this.history = listener;
    }

    /** After each commit, hands {@code listener} the signals its transaction noted for this node. */
    void onSignals(Consumer<Signal> listener) {
        this.signals = listener;
    }

    /** A batch of {@code writes} committed in {@code nanos}, before its futures complete. */
    void committed(long nanos, int writes) {
        metrics.committed(nanos, writes);
    }

    /** A transaction was aborted to break a deadlock. */
    void deadlockBroken() {
        metrics.deadlockBroken();
    }

    /** What the committed batch changed, after its futures completed. */
    void changed(Set<String> historyGrew, List<Signal> noted) {
        if (!historyGrew.isEmpty()) tell(history, historyGrew, "history");
        for (Signal signal : noted) tell(signals, signal, "signal");
    }

    private static <T> void tell(Consumer<T> listener, T what, String kind) {
        try {
            listener.accept(what);
        } catch (RuntimeException e) {
            log.warn("{} listener failed: {}", kind, e.toString());
        }
    }
}
