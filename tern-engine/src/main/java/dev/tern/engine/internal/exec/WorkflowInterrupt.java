package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import java.time.Instant;
import java.util.Set;

/**
 * Unwinds a run's thread past user code. An {@link Error} so that workflow code catching {@code Exception} cannot
 * swallow it.
 */
abstract sealed class WorkflowInterrupt extends Error {
    private static final long serialVersionUID = 1L;

    WorkflowInterrupt(String message) {
        super(message, null, false, false);
    }

    WorkflowInterrupt(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The run waits longer than the grace period: release the thread, resume at {@code wakeAt} or on a signal. */
    static final class Suspend extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;
        final transient Instant wakeAt;
        final long signalSeq;

        Suspend(Instant wakeAt, long signalSeq) {
            super("suspend");
            this.wakeAt = wakeAt;
            this.signalSeq = signalSeq;
        }

        /** When the run is to wake: at its wake time, or at {@code deadline} (or null) if that comes first. */
        Instant wakeAtOrBefore(Instant deadline) {
            return deadline != null && (wakeAt == null || deadline.isBefore(wakeAt)) ? deadline : wakeAt;
        }
    }

    /** An agent's history grew past the limit: end this run and go on in a new one with the state. */
    static final class ContinueAsNew extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;
        final transient JsonNode state;
        final transient Set<Long> consumedEvents;

        ContinueAsNew(JsonNode state, Set<Long> consumedEvents) {
            super("continue as new");
            this.state = state;
            this.consumedEvents = Set.copyOf(consumedEvents);
        }
    }

    /** Someone cancelled the run. */
    static final class Cancel extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;

        Cancel() {
            super("cancelled");
        }
    }

    /** The run's deadline passed: it fails with a timeout, its running step interrupted. */
    static final class Deadline extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;

        Deadline(Instant deadlineAt) {
            super("the run did not finish by its deadline " + deadlineAt);
        }
    }

    /** Workflow code took a different step than the history recorded at that position. */
    static final class NonDeterminism extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;
        final int seq;
        final transient StepRecord recorded;
        final StepKind requestedKind;
        final String requestedName;

        NonDeterminism(String runId, int seq, StepRecord recorded, StepKind requestedKind, String requestedName) {
            super("non-determinism in run " + runId + " at step " + seq + ": history recorded '"
                    + recorded.kind().wireName() + " " + recorded.name() + "' but the code now asks for '"
                    + requestedKind.wireName() + " " + requestedName + "'");
            this.seq = seq;
            this.recorded = recorded;
            this.requestedKind = requestedKind;
            this.requestedName = requestedName;
        }
    }

    /**
     * A replay-only execution reached step {@code seq}, which its history does not hold (or holds as begun, not
     * completed): the replay ends there, successfully, instead of executing the step.
     */
    static final class HistoryEnd extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;
        final int seq;

        HistoryEnd(int seq) {
            super("the history ends before step " + seq);
            this.seq = seq;
        }
    }

    /** The database is unreachable: stop here and replay once it is back. */
    static final class StoreUnavailable extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;

        StoreUnavailable(RuntimeException cause) {
            super("store unavailable: " + cause.getMessage(), cause);
        }
    }

    /** The run lost ownership (taken over or finished elsewhere): stop without writing. */
    static final class Lost extends WorkflowInterrupt {
        private static final long serialVersionUID = 1L;

        Lost(String runId) {
            super("run " + runId + " is no longer owned by this attempt");
        }
    }
}
