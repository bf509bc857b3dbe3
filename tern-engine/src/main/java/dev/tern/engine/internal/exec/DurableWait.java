package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.Checkpoint;
import dev.tern.engine.internal.store.RunSignals;
import java.time.Instant;

/**
 * The one way a run waits durably, for a timer, an event, a human's answer or a child run: the wait is a step that
 * replays its recorded outcome if it has one; otherwise it begins (writing what it waits on), looks whether it is
 * resolved, waits in its thread for the grace period (woken by the run's signals), then suspends, releasing the thread
 * until a signal or its time comes; once resolved, it records its outcome as the step's completion. Each kind of wait
 * is a small {@link Kind} that says only what differs: what it begins with, how it looks, what it returns.
 *
 * <p>A wait that finds nothing at a look reads the run's signal sequence and looks again, so a signal stored after that
 * second look makes the suspension fail (and the run replay at once) instead of being lost; a wait resolved at its
 * first look (a child that had ended, an event already in the inbox) reads no signals at all.
 *
 * <p><b>Adding a primitive</b> (an LLM call or an MCP call that waits on something outside the run): add its record to
 * {@link StepOutcome} (the only place its JSON is written and read) and, if it names its step itself, its name to
 * {@link StepNames}; then write one class implementing {@link Kind} (see {@link SleepWait} for the smallest) and call
 * {@code durable.await(new YourWait(...))} from the context method. Replay, grace, suspension, wait marks and the
 * completion checkpoint come with it.
 *
 * <p>A step waiting for a concurrency or rate limit's permit does not wait here: that wait is inside a step attempt (no
 * step of its own to replay, possibly on a parallel step's thread), so it never suspends; see
 * {@code StepRunner.awaitPermit}.
 */
final class DurableWait {
    private final ExecutionContext ctx;
    private final RunExecution exec;

    DurableWait(ExecutionContext ctx, RunExecution exec) {
        this.ctx = ctx;
        this.exec = exec;
    }

    /**
     * One kind of durable wait, used once: its step, its outcome record {@code O}, and the result {@code R} the
     * workflow gets from an outcome.
     */
    interface Kind<O extends StepOutcome, R> {
        StepKind kind();

        /** The step's name, matched against the history on replay. */
        String stepName();

        /** The outcome (or, for a waiting step, what it recorded when it began) from the step's output. */
        O read(JsonNode output);

        /**
         * Begins the wait at sequence {@code seq}: writes its waiting step if it has one ({@code recorded} is null), or
         * takes up the waiting step recorded before ({@code recorded}); returns that step, or null for a wait that
         * writes nothing until it completes.
         */
        default StepRecord begin(int seq, StepRecord recorded, Instant started) {
            return null;
        }

        /** One look at the wait: resolved, still pending, or worth a second look at once. */
        Check<O> check();

        /** What the run is noted as waiting on while it waits in its thread; null if its beginning recorded that. */
        default String waitingOn() {
            return null;
        }

        /** The completed step's name: by default {@link #stepName()}. */
        default String completedName(O outcome) {
            return stepName();
        }

        /** What the workflow gets for {@code outcome}, resolved {@code at}. */
        R result(O outcome, Instant at);

        /**
         * A timer is resolved by time alone: it reads the run's signals only when it suspends, suspends at once when
         * its time lies past the grace period, and its completion is written without waiting for it (replaying its
         * waiting step after a crash completes it the same way).
         */
        default boolean timer() {
            return false;
        }

        /**
         * Whether its completion may be held until the workflow's next context call or end, as a step's is
         * ({@link DeferredCheckpoint}): only when a second look after a crash is sure to find the same outcome.
         */
        default boolean completionDeferrable() {
            return false;
        }

        /**
         * Whether the run's wait marks record this wait (a question's wait is its interaction's, kept by the store).
         */
        default boolean usesWaitMarks() {
            return true;
        }
    }

    /** What one look at a wait found. */
    sealed interface Check<O> {
        /** Resolved {@code at} with {@code outcome}. */
        record Done<O>(O outcome, Instant at) implements Check<O> {}

        /** Not resolved at {@code now}; resolves by itself at {@code until} (a time out), or never (null). */
        record Pending<O>(Instant until, Instant now) implements Check<O> {}

        /** Not resolved, but may be at once (a time-out the store refused because an answer came first). */
        record Retry<O>() implements Check<O> {}

        static <O> Check<O> done(O outcome, Instant at) {
            return new Done<>(outcome, at);
        }

        static <O> Check<O> pending(Instant until, Instant now) {
            return new Pending<>(until, now);
        }

        static <O> Check<O> retry() {
            return new Retry<>();
        }
    }

    /** Waits as {@code wait} says and returns its result; a suspension or a cancel unwinds the run instead. */
    <O extends StepOutcome, R> R await(Kind<O, R> wait) {
        int seq = ctx.nextSeq();
        StepRecord recorded = ctx.replay(seq, wait.stepName(), wait.kind());
        if (recorded != null && StepRecord.COMPLETED.equals(recorded.status())) {
            return wait.result(wait.read(recorded.output()), recorded.completedAt());
        }
        // a replay ends at a wait its history holds only as begun: going on would begin or resolve it live
        if (exec.host().replayOnly()) throw new WorkflowInterrupt.HistoryEnd(seq);
        Instant started = exec.host().clock().instant();
        StepRecord waiting = wait.begin(seq, recorded, started);
        long graceEnd = started.toEpochMilli() + exec.host().suspendGrace().toMillis();
        while (true) {
            long signalsSeen = exec.signalsSoFar(); // a signal after this, even before the park, ends the park
            Check<O> check = wait.check();
            long signalSeq = 0;
            if (check instanceof Check.Pending<O> && !wait.timer()) {
                // only a wait that may suspend needs the run's signal sequence: read before a second look, so a
                // signal stored after that look makes the suspension fail (a wait resolved at once reads none)
                signalSeq = signals().signalSeq();
                signalsSeen = exec.signalsSoFar();
                check = wait.check();
            }
            switch (check) {
                case Check.Done<O> done -> {
                    ctx.flush();
                    complete(wait, seq, waiting, started, done.outcome(), done.at());
                    return wait.result(done.outcome(), done.at());
                }
                case Check.Retry<O> again -> {
                    // look again at once
                }
                case Check.Pending<O> pending -> {
                    if (wait.waitingOn() != null) ctx.waits().note(wait.waitingOn(), started);
                    long now = pending.now().toEpochMilli();
                    Instant until = pending.until();
                    if (now >= graceEnd || (wait.timer() && until.toEpochMilli() > graceEnd)) {
                        // a checkpoint the wait's beginning holds is written with the suspension, or not at all
                        throw new WorkflowInterrupt.Suspend(until, wait.timer() ? timerSignalSeq() : signalSeq);
                    }
                    ctx.flush();
                    exec.park((until == null ? graceEnd : Math.min(graceEnd, until.toEpochMilli())) - now, signalsSeen);
                }
            }
        }
    }

    /** Records the wait's outcome as its step's completion, ending the run's wait mark with it. */
    private <O extends StepOutcome> void complete(
            Kind<O, ?> wait, int seq, StepRecord waiting, Instant started, O outcome, Instant at) {
        StepRecord done = new StepRecord(
                exec.runId(),
                seq,
                wait.completedName(outcome),
                wait.kind(),
                StepRecord.COMPLETED,
                waiting == null ? null : waiting.input(),
                outcome.toJson(),
                null,
                1,
                waiting == null ? started : waiting.startedAt(),
                at,
                exec.attempt());
        JsonNode data = outcome.completedData(wait.stepName());
        Checkpoint checkpoint = new Checkpoint(
                done,
                HistoryEventType.STEP_COMPLETED,
                data,
                wait.usesWaitMarks() ? ctx.waits().end(at) : null);
        if (wait.timer()) exec.host().store().recordStep(checkpoint);
        else if (wait.completionDeferrable()) ctx.deferred().hold(checkpoint);
        else ctx.record(checkpoint);
    }

    /** The signal sequence a timer suspends on: the one the execution knows, read only when it knows none. */
    private long timerSignalSeq() {
        long seen = exec.signalSeqSeen();
        return seen >= 0 ? seen : signals().signalSeq();
    }

    /** The run's signals (a cancel stops the wait here). */
    private RunSignals signals() {
        RunSignals signals = Durable.read(() -> exec.host().store().signals(exec.runId()))
                .orElseThrow(() -> new WorkflowInterrupt.Lost(exec.runId()));
        exec.sawSignalSeq(signals.signalSeq());
        if (signals.cancelRequested()) {
            exec.markCancelRequested();
            throw new WorkflowInterrupt.Cancel();
        }
        return signals;
    }
}
