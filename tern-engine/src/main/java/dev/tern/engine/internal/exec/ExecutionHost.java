package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.RunStore;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What a run's execution needs from the node it runs on. */
interface ExecutionHost {
    RunStore store();

    Clock clock();

    /** How long a waiting run keeps its thread before it suspends. */
    Duration suspendGrace();

    /** Steps after which an agent run continues as new; 0 = never. */
    int continueAsNewAfterSteps();

    Optional<RunnableDefinition> definition(String name);

    /**
     * What a run of {@code kind} (a run's stored kind) named {@code name} executes in {@code revision} (null: newest).
     */
    Optional<RunnableDefinition> definition(String kind, String name, String revision);

    String nodeId();

    /** Where steps' live text goes. */
    TokenPublisher tokens();

    /** Where the node's metrics and spans go. */
    dev.tern.engine.internal.telemetry.Telemetry telemetry();

    /** The language model configured on this node, if any. */
    Optional<dev.tern.sdk.ModelEndpoint> model();

    /** How long a permit or lease this node holds lasts without renewal. */
    Duration leaseDuration();

    /** The steps of this node waiting for a limit's permit, by limit. */
    LimitQueues limitQueues();

    /** New runs were created here (children) for any node to claim: look for work at once. */
    void workAdded();

    /**
     * Takes a slot on this node for run {@code runId}, which the caller is about to create as this node's and start
     * here ({@link #startReserved}) once written; false when no slot is free (the run is then created for any node to
     * claim).
     */
    boolean reserveSlot(String runId);

    /** Gives back the slot of a run that was not created after all. */
    void releaseSlot(String runId);

    /**
     * Starts a run this node created and owns (attempt 1) in its reserved slot; its reads await any {@code creation}.
     */
    void startReserved(String runId, RunStart run, java.util.concurrent.CompletableFuture<?> creation);

    /** The run suspended until {@code wakeAt} (null: until a signal). */
    void suspended(String runId, Instant wakeAt);

    /** The run's execution on this node ended (finished, suspended, cancelled or lost). */
    void released(RunExecution execution, boolean finished);

    /**
     * Whether executions only replay their recorded history: a step the history does not hold ends the execution
     * ({@link WorkflowInterrupt.HistoryEnd}) instead of running; nothing is written. See {@link HistoryReplay}.
     */
    default boolean replayOnly() {
        return false;
    }
}
