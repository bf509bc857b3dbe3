package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where runs live, named by what the engine needs. Writes return futures that complete when the change is durable
 * (group-committed with other writes); writes are applied in submission order.
 */
public interface RunStore extends AutoCloseable {

    /**
     * Whether a run's writes are durable sooner when its code runs on a platform thread than on a virtual one: true
     * where a platform thread commits its own writes while no batch is committing, and a virtual thread hands them to
     * the writer's thread and is woken back (a network database, whose socket I/O on a virtual thread would go through
     * the JDK's poller). The executor then keeps a few platform threads for the runs of a quiet node.
     */
    default boolean platformThreadsWriteDirectly() {
        return false;
    }

    /** Creates the run, or returns the id of the run already holding its idempotency key. */
    CompletableFuture<String> createRun(NewRun run);

    /**
     * Creates the runs in one transaction, all or none: returns each run's id, or that of the run already holding its
     * idempotency key once {@code check} has accepted it; a check that throws (or a quota) creates none.
     */
    CompletableFuture<List<String>> createRuns(List<NewRun> runs, NewRuns.KeyTaken check);

    /**
     * Upserts the step at its sequence and appends the matching history event (after the step's queued "started" event,
     * if it is still queued), only if the step's run attempt still owns the run; false means ownership was lost and
     * nothing was written.
     */
    CompletableFuture<Boolean> recordStep(Checkpoint checkpoint);

    default CompletableFuture<Boolean> recordStep(StepRecord step, HistoryEventType event, JsonNode eventData) {
        return recordStep(new Checkpoint(step, event, eventData));
    }

    /**
     * Queues a history event on behalf of the executing attempt, written only while that attempt owns the run. Nobody
     * waits for it: it commits a few milliseconds later with the next write, or is written by that write itself (see
     * {@link Checkpoint#started()}).
     */
    QueuedEvent appendOwnedHistory(
            String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq, JsonNode data);

    CompletableFuture<Void> appendHistory(
            String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data);

    /**
     * Suspends an executing run, writing its held step checkpoint with it, unless a signal arrived after the
     * suspension's signal sequence (then nothing is written); true if suspended.
     */
    CompletableFuture<Boolean> suspend(Suspension suspension);

    /**
     * Ends the run if {@code end.attempt()} still owns it, after writing its last step checkpoint if it has one, in one
     * transaction; not ended if it was cancelled or taken over meanwhile. Where the store's end statement returns the
     * row, the outcome carries the run as it ended.
     */
    CompletableFuture<FinishedRun> finishRun(RunEnd end);

    /** Stores an event in the run's inbox, or in the run an agent continued as, following the links. */
    CompletableFuture<SendOutcome> appendInbox(String runId, String eventName, String payloadJson, Instant now);

    /**
     * Creates {@code run}, a fork of the run its links name, queued: the original's steps before the fork's step become
     * its steps, and the original's inbox entries {@code events} (those the copied steps consumed) its inbox. Returns
     * the fork's id (or that of the fork its idempotency key created before).
     */
    CompletableFuture<String> fork(NewRun run, java.util.List<Long> events);

    /** Ends an agent run and starts its continuation with the carried state; false if the attempt lost the run. */
    CompletableFuture<Boolean> continueAsNew(Continuation continuation);

    CompletableFuture<CancelOutcome> requestCancel(String runId, String reason, Instant now);

    /** Takes up to {@code limit} runs that are due (queued, woken, or whose lease expired). */
    CompletableFuture<List<Claim>> claim(String nodeId, Instant now, int limit, Instant leaseUntil);

    /**
     * Takes a permit of {@code limit} for {@code holder} if its caps allow, cluster-wide; empty when granted, else the
     * earliest time worth trying again. Permits of a dead node expire with its lease.
     */
    CompletableFuture<Optional<Instant>> acquirePermit(
            dev.tern.sdk.Limit limit, String holder, String nodeId, Instant now, Instant expiresAt);

    CompletableFuture<Void> releasePermit(String key, String holder);

    /**
     * Records what the executing attempt now waits on ({@code null}: nothing), with a history event; false if it lost
     * the run.
     */
    CompletableFuture<Boolean> markWaiting(
            String runId, int attempt, String waitingOn, HistoryEventType event, JsonNode data, Instant now);

    /**
     * Notes that the executing attempt now waits in its thread on {@code waitingOn} (an event, a child run), since
     * {@code since}, if it still owns the run. Nobody waits for it; the change that ends the wait is a later write, so
     * it never lands after that.
     */
    void noteWaiting(String runId, int attempt, String waitingOn, Instant since);

    /**
     * Extends the leases of the runs this node executes; returns those it still owns (a missing one was taken over).
     */
    CompletableFuture<List<OwnedRun>> renewLeases(String nodeId, Instant now, Instant leaseUntil);

    /** Gives up runs this node owns in the store but no longer executes, so that they are claimed again at once. */
    CompletableFuture<Integer> releaseRuns(String nodeId, List<String> runIds, Instant now);

    /**
     * Delivers signals (new work, events, cancels, finished runs) as they commit: this node's own from its writer (a
     * parent a child's end woke, a child its parent's end cancelled), other nodes' through the database where it is
     * shared.
     */
    AutoCloseable listen(java.util.function.Consumer<Signal> handler);

    /**
     * Calls {@code listener} with the id of each run whose history grew, after the change commits on this node (other
     * nodes' changes arrive as {@code HISTORY} signals through {@link #listen}).
     */
    void onHistory(java.util.function.Consumer<String> listener);

    /**
     * Says that a waiter on this node looks at a run (its history growing, its end), so that other nodes tell this one
     * of their changes ({@code HISTORY} and {@code DONE} signals); call it at each look. Cheap: it speaks up only now
     * and then.
     */
    void watchingRuns();

    /** Tells {@code listener} the duration and size of every commit (the store's metrics). */
    void onCommit(CommitListener listener);

    /** Carries steps' live text to the other nodes sharing this store (nothing on a single-process store). */
    TokenRelay tokenRelay();

    /** The webhook outbox: due deliveries, their attempts. */
    WebhookQueue webhooks();

    /**
     * Deletes up to {@code limit} runs that finished before {@code cutoff}, oldest first, with every row that refers to
     * them, in one transaction; a run whose parent is unfinished is kept. Returns how many were deleted.
     */
    CompletableFuture<Integer> deleteFinished(Instant cutoff, int limit);

    /** Makes every run that was executing when the single embedded process died claimable again. */
    CompletableFuture<Integer> recoverOrphans(Instant now);

    /**
     * Creates {@code child} and records the parent's step that started it, in one transaction, if the step's attempt
     * still owns the parent.
     */
    CompletableFuture<Boolean> startChild(StepRecord step, NewRun child);

    /** Opens a question to a human at a waiting step, blocking the run, if {@code step}'s attempt still owns it. */
    CompletableFuture<Boolean> openInteraction(StepRecord step, InteractionRecord interaction);

    /** Stores the answer to an open question and wakes its run. */
    CompletableFuture<AnswerOutcome> answerInteraction(
            String runId, String interactionId, String answerJson, Instant now);

    /** Closes an open question unanswered; false if it was answered first or the attempt lost the run. */
    CompletableFuture<Boolean> timeOutInteraction(String runId, int attempt, String interactionId, Instant now);

    List<InteractionRecord> interactions(String runId);

    Optional<InteractionRecord> interaction(String runId, String interactionId);

    Optional<StoredRun> findRun(String runId);

    /**
     * The runs among {@code runIds} that exist, in no particular order, read in as few queries as the database allows.
     */
    List<StoredRun> findRuns(List<String> runIds);

    RunPage listRuns(RunQuery query);

    List<StepRecord> steps(String runId);

    /**
     * The steps of each of {@code runIds}, each run's in sequence order, read in as few queries as the database allows;
     * a run with none maps to an empty list. The caller bounds how many rows that is.
     */
    java.util.Map<String, List<StepRecord>> stepsOf(List<String> runIds);

    List<HistoryEvent> history(String runId, long afterSeq, int limit);

    List<AttemptRecord> attempts(String runId);

    /** The run and the parts of it asked for, read at once (one round trip where the database allows). */
    Optional<dev.tern.engine.RunDetail> detail(String runId, java.util.Set<dev.tern.engine.RunDetail.Part> parts);

    /**
     * How many times each step of each of {@code runIds} was started (its {@code step_started} events, in every attempt
     * of the run): a step the previous attempt began before the process died starts again as its next attempt, and the
     * history says so. Read in as few queries as the database allows; a run none of whose steps was started maps to an
     * empty map. The caller bounds how many rows that is.
     */
    java.util.Map<String, java.util.Map<Integer, Integer>> stepStartsOf(List<String> runIds);

    List<InboxEvent> inbox(String runId, long afterSeq);

    Optional<RunSignals> signals(String runId);

    /** The schedules kept in the same database. */
    ScheduleStore schedules();

    /** Revisions loaded per node, release channels, and runs per revision. */
    ReleaseStore releases();

    /**
     * From now on {@link #claim} takes only runs without a revision and runs pinned to one of {@code revisionsByName}
     * (definition name to revisions): what this node can replay. Call once, before claiming.
     */
    void claimOnly(java.util.Map<String, List<String>> revisionsByName);

    /** Unfinished runs counted by state: queued, running, or what they wait on (sleep, event, human, limit, child). */
    java.util.Map<String, Long> unfinishedByState();

    /** The earliest time some run becomes due, if any. */
    Optional<Instant> nextDue();

    /** Why writes fail now (the last write failed, or one did in the last seconds), or empty while they succeed. */
    Optional<WriteFailure> writeFailure();

    /** The store's message of a failing write (for the log), and whether a recent one failed on a full disk. */
    record WriteFailure(String message, boolean diskFull) {}

    /** Writes committed and transactions used. */
    long[] writeCounters();

    String describe();

    @Override
    void close();
}
