package dev.tern.engine.internal.store;

/** A committed change a node may need to act on at once: another node's, or, for one run, its own. */
public record Signal(Kind kind, String runId) {

    /** What happened to the run. */
    public enum Kind {
        WORK,
        TIMER,
        EVENT,
        CANCEL,
        DONE,
        /** The run's history grew (streams of it wake). */
        HISTORY,
        /** A permit of a limit was given back: the signal's {@code runId} is the limit's key, not a run's id. */
        LIMIT;

        /**
         * Whether the signal is for one run's execution (an event to wake it, a cancel to stop it), which the node that
         * commits it tells itself at once; the others only wake the dispatcher, which the node's own writes do anyway.
         */
        public boolean forOneRun() {
            return this == EVENT || this == CANCEL;
        }
    }

    /** Parses a {@code KIND:runId} notification payload; null if it is not one. */
    static Signal parse(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) return null;
        try {
            return new Signal(Kind.valueOf(payload.substring(0, colon)), payload.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
