package dev.tern.engine.internal.exec;

import dev.tern.engine.ErrorInfo;
import dev.tern.engine.RunIds;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Checkpoint;
import dev.tern.engine.internal.store.Continuation;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunEnd;
import dev.tern.engine.internal.store.StoreException;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.store.Suspension;
import dev.tern.engine.internal.telemetry.RunTracing;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.WorkflowDefinition;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run executing on this node, on a thread of its own ({@link RunThreads}): replays the run's recorded steps,
 * continues live, and ends by finishing the run, suspending it, or stopping on cancel.
 */
final class RunExecution implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    private final ExecutionHost host;
    private final String runId;
    private final int attempt;
    private final Wakeups wakeups = new Wakeups();
    private volatile boolean cancelRequested;
    private volatile boolean stopping;
    private volatile Instant deadlineAt;
    private volatile boolean deadlinePassed;
    private Thread deadlineTimer;
    private final ReadFence fence = new ReadFence();
    /** Set while the run's last write (suspend, finish, continue as new) is under way: maybe off the lease list. */
    private volatile boolean ending;

    private ExecutionContext current;
    private final java.time.Instant created;
    /** The run as this node created it, for a first pass without reading it back; null once used or when claimed. */
    private RunStart fresh;
    /** The claimed run's row (and steps) as read with the rest of its claim, for a first pass without reading them. */
    private ClaimedRead claimed;
    /**
     * The run's signal sequence as this execution last knew it, or -1: 0 for a run this node has just created (no
     * signal can predate it), else what the last read of its signals found. A timer suspends on it without a read: a
     * signal that arrived since makes the suspension match nothing and the run replay at once, as any signal does.
     */
    private long signalSeqSeen = -1;
    /** The run as this pass started it (for metrics), or null before. */
    private RunStart started;
    /** What became of the current pass, for its span: completed, failed, suspended, continued, lost… */
    private String outcome;

    private String outcomeError;
    /** Whether ending the run may touch something else: a webhook, a parent to wake, children to cancel. */
    private boolean endHasFollowUps = true;
    /** The run as its end left it, when the store's end returned it (else null). */
    private volatile StoredRun endedAs;

    // creation: the run's creation, if this execution begins before it is durable (its reads wait for it), else null
    RunExecution(ExecutionHost host, String runId, int attempt, RunStart fresh, CompletableFuture<?> creation) {
        this.host = host;
        this.runId = runId;
        this.attempt = attempt;
        this.created = host.clock().instant();
        this.fresh = fresh;
        if (creation != null) fence.after(creation);
    }

    /**
     * The claimed run's row (and steps, if read), read after its claim committed together with the claim's other runs:
     * the first pass starts from them instead of reading the run alone (later passes read again).
     */
    void readAlready(ClaimedRead read) {
        this.claimed = read;
    }

    /** Whether this execution began before {@code instant} (a lease check older than it says nothing about it). */
    boolean startedBefore(java.time.Instant instant) {
        return created.isBefore(instant);
    }

    String runId() {
        return runId;
    }

    /** The run as its end left it, if this execution ended it and the store handed the row back; else null. */
    dev.tern.engine.RunRecord endedAs() {
        StoredRun run = endedAs;
        return run == null ? null : run.toRecord();
    }

    /** The run as started or handed over by its creator; null while read. Racy but immutable: stale is null. */
    RunStart startedAs() {
        return started != null ? started : fresh;
    }

    /** Whether the run's last write is under way (a lease check that misses the run then says nothing about it). */
    boolean isEnding() {
        return ending;
    }

    int attempt() {
        return attempt;
    }

    /** The model the run was told to use instead of the configured one, or null. */
    dev.tern.sdk.ModelChoice modelChoice() {
        return started == null ? null : started.modelChoice(); // read on the run's own thread, which sets it
    }

    /** The run's thread, else the run itself: what its model calls' spans name as their conversation. */
    String conversationId() {
        RunStart run = started;
        return run == null || run.conversationId() == null ? runId : run.conversationId();
    }

    ExecutionHost host() {
        return host;
    }

    /** An event or cancel for this run was stored: wake the run if it waits in-thread. */
    void signal() {
        wakeups.signal();
    }

    void requestCancel() {
        cancelRequested = true;
        signal();
        fence.interrupt();
    }

    long signalSeqSeen() {
        return signalSeqSeen;
    }

    void sawSignalSeq(long seq) {
        signalSeqSeen = seq;
    }

    /** The node shuts down: unwind without writing; the run resumes after restart or elsewhere. */
    void stop() {
        stopping = true;
        signal();
        fence.interrupt();
    }

    /** Throws if this execution must stop: the node shuts down or the run was cancelled. */
    void checkInterrupts() {
        if (stopping) throw new WorkflowInterrupt.Lost(runId);
        if (cancelRequested) throw new WorkflowInterrupt.Cancel();
        if (deadlinePassed) throw new WorkflowInterrupt.Deadline(deadlineAt);
    }

    /** Interrupts the run (and the step it executes) when its deadline passes. */
    private void watchDeadline(Instant deadline) {
        if (deadline == null || deadlineTimer != null) return;
        deadlineAt = deadline;
        deadlineTimer = DeadlineTimer.start(runId, deadline, host.clock(), () -> {
            deadlinePassed = true;
            signal();
            fence.interrupt();
        });
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void markCancelRequested() {
        cancelRequested = true;
    }

    /**
     * How many signals have arrived so far: a wait takes it before it looks at the store, and parks with it
     * ({@link #park(long, long)}), so a signal that arrives between the look and the park still wakes it.
     */
    long signalsSoFar() {
        return wakeups.soFar();
    }

    /** Waits up to {@code millis} or until a signal arrives. */
    void park(long millis) {
        park(millis, wakeups.soFar());
    }

    /** Waits up to {@code millis} or until a signal arrives after the {@code seen}th ({@link #signalsSoFar()}). */
    void park(long millis, long seen) {
        wakeups.park(host.clock(), millis, seen, () -> cancelRequested || stopping || deadlinePassed);
        checkInterrupts();
    }

    /** The time this run is parked until (a retry's backoff, a limit's next permit), or null while it is not parked. */
    Instant parkedUntil() {
        return wakeups.parkedUntil();
    }

    @Override
    public void run() {
        fence.enter();
        boolean finished = false;
        org.slf4j.MDC.put(LOG_RUN_ID, runId);
        try {
            long backoff = 100;
            while (!stopping) {
                try {
                    finished = execute();
                    break;
                } catch (WorkflowInterrupt.StoreUnavailable | StoreException e) {
                    if (stopping) break;
                    log.warn("run {}: {}; replaying in {} ms", runId, e.getMessage(), backoff);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (stopping) return;
            log.error("run {} stopped unexpectedly; it will be retried when its lease expires", runId, e);
        } finally {
            org.slf4j.MDC.remove(LOG_RUN_ID);
            fence.exit();
            if (deadlineTimer != null) deadlineTimer.interrupt();
            host.released(this, finished);
        }
    }

    /** The key under which log lines written while the run executes carry its id. */
    static final String LOG_RUN_ID = "runId";

    /** Replays until the run finishes or suspends; true if it finished. */
    private boolean execute() {
        while (true) {
            current = null;
            ending = false;
            RunStart run = fresh;
            signalSeqSeen = run != null ? 0 : -1;
            List<StepRecord> steps = List.of();
            java.util.Map<Integer, Integer> stepStarts = null;
            dev.tern.engine.RunWait storedWait = null;
            if (run == null) {
                ClaimedRead read = claimed;
                claimed = null;
                StoredRun stored = read != null
                        ? read.row()
                        : ReadFence.read(() -> host.store().findRun(runId)).orElse(null);
                if (stored == null || stored.status().isTerminal() || stored.attempt() != attempt) return false;
                if (stored.cancelRequested()) cancelRequested = true;
                run = RunStart.of(stored);
                steps = read != null && read.steps() != null
                        ? read.steps()
                        : ReadFence.read(() -> host.store().steps(runId));
                if (read != null) stepStarts = read.stepStarts();
                storedWait = stored.waiting();
            }
            fresh = null;
            started = run;
            endHasFollowUps = run.hasWebhookOrParent();
            if (run.deadlineAt() != null && !host.clock().instant().isBefore(run.deadlineAt())) {
                return finish(RunStatus.FAILED, null, EndErrors.deadline(run.deadlineAt()));
            }
            watchDeadline(run.deadlineAt());
            RunnableDefinition definition =
                    host.definition(run.kind(), run.name(), run.revision()).orElse(null);
            if (definition == null && run.revision() != null) {
                // never fail a run for code this node lacks: give it back to a node that has its revision
                log.warn("run {} is pinned to revision {} of '{}', not loaded here", runId, run.revision(), run.name());
                Futures.await(host.store()
                        .releaseRuns(host.nodeId(), List.of(runId), host.clock().instant()));
                return false;
            }
            if (definition == null) {
                return finish(
                        RunStatus.FAILED,
                        null,
                        new ErrorInfo(
                                "UnknownDefinition",
                                "no agent or workflow named '" + run.name() + "' on this node",
                                null));
            }
            ExecutionContext ctx = new ExecutionContext(this, steps, stepStarts, run.budget(), storedWait);
            current = ctx;
            outcome = "lost";
            outcomeError = null;
            Span span =
                    host.telemetry().tracing().startAttempt(run.traceParent(), runId, run.kind(), run.name(), attempt);
            try (Scope scope = span.makeCurrent()) {
                if (cancelRequested) throw new WorkflowInterrupt.Cancel();
                Object output = invoke(definition, ctx, run);
                return finish(RunStatus.COMPLETED, output == null ? null : Json.write(output), null);
            } catch (WorkflowInterrupt.Suspend s) {
                Instant wakeAt = s.wakeAtOrBefore(deadlineAt);
                ending = true;
                Instant now = host.clock().instant();
                Checkpoint held = ctx.deferred().take();
                if (Futures.await(
                        host.store().suspend(new Suspension(runId, attempt, wakeAt, s.signalSeq, now, held)))) {
                    outcome = "suspended";
                    host.suspended(runId, wakeAt);
                    return false;
                }
                outcome = "signalled"; // a signal arrived while suspending: replay at once
            } catch (WorkflowInterrupt.ContinueAsNew c) {
                String next = RunIds.next(host.clock().millis());
                ending = true;
                boolean continued = Futures.await(host.store()
                        .continueAsNew(new Continuation(
                                runId,
                                attempt,
                                next,
                                Json.write(c.state),
                                c.consumedEvents,
                                host.clock().instant())));
                if (continued) {
                    outcome = "continued";
                    log.info("run {} continued as new in {}", runId, next);
                    host.workAdded();
                }
                return continued;
            } catch (WorkflowInterrupt.Cancel c) {
                return finish(RunStatus.CANCELLED, null, EndErrors.cancelled(host, runId));
            } catch (WorkflowInterrupt.Deadline d) {
                return finish(RunStatus.FAILED, null, EndErrors.deadline(deadlineAt));
            } catch (WorkflowInterrupt.NonDeterminism n) {
                return finish(RunStatus.FAILED, null, new ErrorInfo("NonDeterminism", n.getMessage(), null));
            } catch (WorkflowInterrupt.Lost l) {
                return false;
            } catch (StepFailedException e) {
                return finish(
                        RunStatus.FAILED,
                        null,
                        new ErrorInfo(e.errorType(), e.getMessage(), e.stepName(), e.errorId()));
            } catch (dev.tern.sdk.RunFailedException e) {
                return finish(RunStatus.FAILED, null, new ErrorInfo(e.errorType(), e.getMessage(), null));
            } catch (StoreException e) {
                // the store failed (the run's end could not be written, say, on a full disk): not the run's fault;
                // replay it later
                throw e;
            } catch (Exception e) {
                if (stopping) return false;
                if (cancelRequested) return finish(RunStatus.CANCELLED, null, EndErrors.cancelled(host, runId));
                if (deadlinePassed) return finish(RunStatus.FAILED, null, EndErrors.deadline(deadlineAt));
                return finish(RunStatus.FAILED, null, Failures.of(runId, "the workflow", e));
            } finally {
                RunTracing.endAttempt(span, outcome, outcomeError);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Object invoke(RunnableDefinition definition, ExecutionContext ctx, RunStart run) throws Exception {
        Object input = Json.convert(run.input(), definition.inputType());
        return switch (definition) {
            case WorkflowDefinition w -> w.body().run(ctx, input);
            case AgentDefinition a ->
                new AgentDriver(a, ctx, run.continued(), host.continueAsNewAfterSteps()).run(input);
        };
    }

    /** Ends the run; a step checkpoint the workflow had not yet written shares the final commit. */
    private boolean finish(RunStatus status, String outputJson, ErrorInfo error) {
        ending = true;
        Thread.interrupted();
        Checkpoint last = current == null ? null : current.deferred().take();
        Instant now = host.clock().instant();
        boolean wakesNobody = !endHasFollowUps && current != null && !current.hasChildren();
        StoredRun row = started == null ? null : started.row();
        RunEnd end = new RunEnd(runId, attempt, status, outputJson, error, now, last, wakesNobody, row);
        var finished = Futures.await(host.store().finishRun(end));
        boolean ended = finished.ended();
        if (ended) {
            endedAs = finished.run();
            outcome = status.wireName();
            outcomeError = error == null ? null : error.type();
            if (started != null) host.telemetry().metrics().runFinished(started.kind(), started.name(), status);
        }
        return ended;
    }
}
