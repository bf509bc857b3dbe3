package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Checkpoint;
import dev.tern.engine.internal.store.QueuedEvent;
import dev.tern.engine.internal.telemetry.RunTracing;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.Limit;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepBody;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import dev.tern.sdk.internal.StepAttempt;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Executes a step live: attempts with the retry policy's backoff and the timeout, each attempt visible in the history,
 * and the final result checkpointed before the workflow continues.
 */
final class StepRunner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final RunExecution exec;
    private final ExecutionContext ctx;
    /** Steps started before this execution that had not completed: how often each was started. */
    private java.util.Map<Integer, Integer> priorStarts;

    StepRunner(RunExecution exec, ExecutionContext ctx, java.util.Map<Integer, Integer> priorStarts) {
        this.exec = exec;
        this.ctx = ctx;
        this.priorStarts = priorStarts;
    }

    /**
     * Runs the step; with {@code deferCheckpoint} its completion is handed to the context to write (see
     * {@link DeferredCheckpoint}).
     */
    <T> T execute(
            int seq, String name, JsonNode input, StepOptions options, StepBody<T> body, boolean deferCheckpoint) {
        Telemetry telemetry = exec.host().telemetry();
        Span span = telemetry
                .tracing()
                .startStep(exec.runId(), seq, name, options.type().wireName());
        long startedNanos = System.nanoTime();
        try (Scope scope = span.makeCurrent()) {
            return attempts(seq, name, input, options, body, deferCheckpoint, span, startedNanos);
        } finally {
            span.end(); // a no-op when the step ended it; else the run was interrupted in the step
        }
    }

    private <T> T attempts(
            int seq,
            String name,
            JsonNode input,
            StepOptions options,
            StepBody<T> body,
            boolean deferCheckpoint,
            Span span,
            long startedNanos) {
        var store = exec.host().store();
        Telemetry telemetry = exec.host().telemetry();
        Instant started = exec.host().clock().instant();
        RetryPolicy policy = options.retry();
        // attempts cut short by a crash are numbered (the history tells the truth) but do not use up the retry policy:
        // the step did not fail, the process running it died
        int first = firstAttempt(seq);
        for (int attempt = first; ; attempt++) {
            int failedSoFar = attempt - first + 1;
            QueuedEvent startedEvent = start(seq, name, attempt);
            String holder = exec.runId() + ":" + seq;
            try {
                if (options.limit() != null) awaitPermit(options.limit(), holder);
                T value;
                dev.tern.sdk.Usage usage;
                StepType type;
                int thisAttempt = attempt;
                var tokens = exec.host().tokens();
                java.util.concurrent.atomic.AtomicBoolean streamed = new java.util.concurrent.atomic.AtomicBoolean();
                Instant attemptStarted = exec.host().clock().instant();
                long attemptNanos = System.nanoTime();
                StepAttempt reported;
                try (StepAttempt scope = StepAttempt.open(seq, attempt, (s, text) -> {
                    streamed.set(true);
                    tokens.publish(exec.runId(), s, thisAttempt, text);
                })) {
                    reported = scope;
                    value = options.timeout() == null ? body.execute() : withTimeout(name, body, options.timeout());
                    usage = scope.usage();
                    type = scope.typeOverride() != null ? scope.typeOverride() : options.type();
                } finally {
                    if (options.limit() != null) releasePermit(options.limit().key(), holder);
                }
                if (streamed.get()) tokens.flush(); // watchers on other nodes get the last tokens before the step's end
                Instant done = exec.host().clock().instant();
                JsonNode output = Json.tree(value);
                telemetry.genAi(span, reported, exec.conversationId(), attemptStarted, attemptNanos, input, output);
                StepRecord record = new StepRecord(
                                exec.runId(),
                                seq,
                                name,
                                StepKind.FUNCTION,
                                StepRecord.COMPLETED,
                                input,
                                output,
                                null,
                                attempt,
                                started,
                                done,
                                exec.attempt())
                        .withTypeAndUsage(type.wireName(), usage);
                ctx.spend().add(usage);
                ObjectNode data = NODES.objectNode()
                        .put("name", name)
                        .put("attempt", attempt)
                        .put("durationMs", Duration.between(started, done).toMillis());
                Checkpoint checkpoint = new Checkpoint(record, HistoryEventType.STEP_COMPLETED, data, startedEvent)
                        .storedAgainst(ctx.inputBases().before(name));
                RunTracing.endStep(span, attempt, options.type().wireName(), type.wireName(), null);
                telemetry.metrics().stepFinished(name, type.wireName(), "completed", System.nanoTime() - startedNanos);
                if (deferCheckpoint) ctx.deferred().hold(checkpoint);
                else ctx.record(checkpoint);
                return value;
            } catch (WorkflowInterrupt interrupt) {
                throw interrupt;
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable error) {
                exec.checkInterrupts();
                Throwable cause = error instanceof ExecutionException e && e.getCause() != null ? e.getCause() : error;
                boolean last = !policy.isRetryable(cause) || failedSoFar >= policy.maxAttempts();
                ErrorInfo info = Failures.ofStep(exec.runId(), name, attempt, cause, last);
                if (last) {
                    Instant done = exec.host().clock().instant();
                    StepRecord record = new StepRecord(
                                    exec.runId(),
                                    seq,
                                    name,
                                    StepKind.FUNCTION,
                                    StepRecord.FAILED,
                                    input,
                                    null,
                                    info,
                                    attempt,
                                    started,
                                    done,
                                    exec.attempt())
                            .withTypeAndUsage(options.type().wireName(), null);
                    ObjectNode data = NODES.objectNode()
                            .put("name", name)
                            .put("attempt", attempt)
                            .put("retryable", policy.isRetryable(cause));
                    data.set("error", Json.tree(info));
                    ctx.record(new Checkpoint(record, HistoryEventType.STEP_FAILED, data, startedEvent));
                    RunTracing.endStep(
                            span,
                            attempt,
                            options.type().wireName(),
                            options.type().wireName(),
                            info.type());
                    telemetry
                            .metrics()
                            .stepFinished(name, options.type().wireName(), "failed", System.nanoTime() - startedNanos);
                    throw new StepFailedException(name, attempt, info.type(), info.message(), info.errorId());
                }
                Duration delay = policy.delayAfter(failedSoFar);
                RunTracing.stepRetrying(span, attempt, cause, delay.toMillis());
                telemetry.metrics().stepRetried(name, options.type().wireName());
                ObjectNode data = NODES.objectNode()
                        .put("name", name)
                        .put("attempt", attempt)
                        .put("delayMs", delay.toMillis());
                data.set("error", Json.tree(info));
                store.appendOwnedHistory(
                        exec.runId(),
                        exec.attempt(),
                        HistoryEventType.STEP_RETRYING,
                        exec.host().clock().instant(),
                        seq,
                        data);
                exec.park(delay.toMillis());
            }
        }
    }

    /**
     * Records that an attempt starts: durably with the previous step's deferred checkpoint if there is one (one commit
     * for both), else queued lazily for the step's own checkpoint to take over (returned) or the writer's next commit.
     */
    private QueuedEvent start(int seq, String name, int attempt) {
        Instant at = exec.host().clock().instant();
        ObjectNode data = NODES.objectNode().put("name", name).put("attempt", attempt);
        if (ctx.deferred().writeStarting(HistoryEventType.STEP_STARTED, at, seq, data)) return null;
        return exec.host()
                .store()
                .appendOwnedHistory(exec.runId(), exec.attempt(), HistoryEventType.STEP_STARTED, at, seq, data);
    }

    /**
     * Which attempt a live step starts at: 1, or one more than the times it was already started if this run was taken
     * over (the process that ran it died, perhaps in the middle of this step). Read once per execution, at a takeover's
     * first live step.
     */
    private int firstAttempt(int stepSeq) {
        if (exec.attempt() <= 1) return 1;
        if (priorStarts == null) {
            priorStarts = Durable.read(() ->
                    exec.host().store().stepStartsOf(List.of(exec.runId())).get(exec.runId()));
        }
        return 1 + priorStarts.getOrDefault(stepSeq, 0);
    }

    /**
     * Waits, holding no permit, until the limit lets this step start; the wait ends early on cancel. Behind the steps
     * of this node that came first ({@link LimitQueues}): only the first asks the store, again as soon as a permit is
     * given back here, else when the store says (a rate's next token) but no sooner than a backoff that grows to
     * {@link #PERMIT_POLL_MAX} (permits held on other nodes, or by holders whose lease will lapse).
     */
    private void awaitPermit(Limit limit, String holder) {
        var host = exec.host();
        LimitQueues queues = host.limitQueues();
        LimitQueues.Waiter waiter = queues.join(limit.key(), exec);
        boolean waiting = false;
        long backoff = PERMIT_POLL_FIRST.toMillis();
        try {
            while (true) {
                long signalsSeen = exec.signalsSoFar(); // a release or a cancel from now on ends the park below
                if (!queues.first(limit.key(), waiter)) {
                    if (!waiting) {
                        waiting = true;
                        markWaiting(RunWait.LIMIT_PREFIX + limit.key(), HistoryEventType.WAITING_ON_LIMIT, limit);
                    }
                    exec.park(PERMIT_POLL_MAX.toMillis(), signalsSeen); // until it is first
                    continue;
                }
                Instant now = host.clock().instant();
                Optional<Instant> retryAt = Durable.await(
                        host.store().acquirePermit(limit, holder, host.nodeId(), now, now.plus(host.leaseDuration())));
                if (retryAt.isEmpty()) {
                    if (waiting) markWaiting(null, HistoryEventType.LIMIT_ACQUIRED, limit);
                    return;
                }
                if (!waiting) {
                    waiting = true;
                    markWaiting(RunWait.LIMIT_PREFIX + limit.key(), HistoryEventType.WAITING_ON_LIMIT, limit);
                }
                long until =
                        Duration.between(host.clock().instant(), retryAt.get()).toMillis();
                exec.park(Math.max(1, Math.max(until, backoff)), signalsSeen);
                backoff = Math.min(backoff * 2, PERMIT_POLL_MAX.toMillis());
            }
        } finally {
            queues.leave(limit.key(), waiter);
        }
    }

    /** The first wait between a waiting step's asks for a permit; it doubles with each ask refused. */
    static final Duration PERMIT_POLL_FIRST = Duration.ofMillis(25);

    /** The longest wait between asks: how late a permit freed on another node may be seen. */
    static final Duration PERMIT_POLL_MAX = Duration.ofSeconds(1);

    /** Gives the permit back; once that is committed, the first step of this node waiting for one asks at once. */
    private void releasePermit(String key, String holder) {
        LimitQueues queues = exec.host().limitQueues();
        exec.host().store().releasePermit(key, holder).thenRun(() -> queues.released(key));
    }

    /** Shows the run as queued on {@code limit} while it waits for a permit (or running again once it has one). */
    private void markWaiting(String waitingOn, HistoryEventType event, Limit limit) {
        ObjectNode data = NODES.objectNode()
                .put("limit", limit.key())
                .put("maxConcurrent", limit.maxConcurrent())
                .put("perSecond", limit.perSecond());
        if (!Durable.await(exec.host()
                .store()
                .markWaiting(
                        exec.runId(),
                        exec.attempt(),
                        waitingOn,
                        event,
                        data,
                        exec.host().clock().instant()))) {
            throw new WorkflowInterrupt.Lost(exec.runId());
        }
    }

    private static <T> T withTimeout(String name, StepBody<T> body, Duration timeout) throws Exception {
        FutureTask<T> task =
                new FutureTask<>(io.opentelemetry.context.Context.current().wrap(body::execute));
        Thread worker = Thread.ofVirtual().name("tern-step-" + name).start(task);
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new StepTimeoutException(name, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        }
    }
}
