package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.Checkpoint;
import java.time.Duration;
import java.time.Instant;

/**
 * A durable sleep: a timer step recorded as waiting with its wake time when it begins (so a run suspended on it, or
 * replayed after a crash, wakes at the same time), completed once that time has come.
 */
final class SleepWait implements DurableWait.Kind<StepOutcome.Sleep, Void> {
    private final ExecutionContext ctx;
    private final RunExecution exec;
    private final Duration duration;
    private Instant wakeAt;

    SleepWait(ExecutionContext ctx, RunExecution exec, Duration duration) {
        this.ctx = ctx;
        this.exec = exec;
        this.duration = duration;
    }

    @Override
    public StepKind kind() {
        return StepKind.SLEEP;
    }

    @Override
    public String stepName() {
        return StepNames.SLEEP;
    }

    @Override
    public StepOutcome.Sleep read(JsonNode output) {
        return StepOutcome.Sleep.from(output);
    }

    /**
     * Begins the timer; the run waits on it from now, written with the timer's own checkpoint (no extra commit). The
     * checkpoint is held, not written: a timer past the suspend grace is written with the suspension, in one write.
     */
    @Override
    public StepRecord begin(int seq, StepRecord recorded, Instant started) {
        if (recorded != null) {
            wakeAt = read(recorded.output()).wakeAt();
            return recorded;
        }
        wakeAt = started.plus(duration);
        StepOutcome.Sleep timer = new StepOutcome.Sleep(wakeAt);
        StepRecord waiting = new StepRecord(
                exec.runId(),
                seq,
                StepNames.SLEEP,
                StepKind.SLEEP,
                StepRecord.WAITING,
                JsonNodeFactory.instance.objectNode().put("durationMs", duration.toMillis()),
                timer.toJson(),
                null,
                1,
                started,
                null,
                exec.attempt());
        ctx.deferred()
                .hold(new Checkpoint(
                        waiting,
                        HistoryEventType.TIMER_STARTED,
                        timer.toJson(),
                        wakeAt.isAfter(started) ? ctx.waits().begin(RunWait.SLEEP, started) : null));
        return waiting;
    }

    @Override
    public DurableWait.Check<StepOutcome.Sleep> check() {
        Instant now = exec.host().clock().instant();
        if (now.toEpochMilli() >= wakeAt.toEpochMilli())
            return DurableWait.Check.done(new StepOutcome.Sleep(wakeAt), now);
        return DurableWait.Check.pending(wakeAt, now);
    }

    @Override
    public Void result(StepOutcome.Sleep outcome, Instant at) {
        return null;
    }

    @Override
    public boolean timer() {
        return true;
    }
}
