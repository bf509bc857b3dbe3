package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.internal.store.InboxEvent;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * A wait for the run's next event, in arrival order, that the wait accepts: one named event (a workflow's
 * {@code awaitEvent}, perhaps with a deadline) or any event an agent handles. The step records the event taken (and is
 * named after it), so replay takes the same one; events taken by replayed steps are marked consumed, so a live wait
 * skips them.
 */
final class EventWait implements DurableWait.Kind<StepOutcome.Event, InboxEvent> {
    private final ExecutionContext ctx;
    private final RunExecution exec;
    private final String name;
    private final Predicate<InboxEvent> accepts;
    private final Instant deadline;

    /** {@code name}: the event awaited, or null for any event {@code accepts}; {@code deadline}: null for none. */
    EventWait(ExecutionContext ctx, RunExecution exec, String name, Predicate<InboxEvent> accepts, Instant deadline) {
        this.ctx = ctx;
        this.exec = exec;
        this.name = name;
        this.accepts = accepts;
        this.deadline = deadline;
    }

    @Override
    public StepKind kind() {
        return StepKind.EVENT;
    }

    @Override
    public String stepName() {
        return name == null ? StepNames.ANY_EVENT : name;
    }

    @Override
    public StepOutcome.Event read(JsonNode output) {
        return StepOutcome.Event.from(output);
    }

    @Override
    public DurableWait.Check<StepOutcome.Event> check() {
        InboxEvent event = ctx.inbox().next(accepts);
        Instant now = exec.host().clock().instant();
        if (event != null) return DurableWait.Check.done(StepOutcome.Event.received(event), now);
        if (deadline != null && !now.isBefore(deadline))
            return DurableWait.Check.done(StepOutcome.Event.timeout(), now);
        return DurableWait.Check.pending(deadline, now);
    }

    @Override
    public String waitingOn() {
        return name == null ? RunWait.EVENT : RunWait.EVENT_PREFIX + name;
    }

    @Override
    public String completedName(StepOutcome.Event outcome) {
        return outcome.timedOut() ? stepName() : outcome.eventName();
    }

    /** The event taken (marked consumed), or null on the deadline. */
    @Override
    public InboxEvent result(StepOutcome.Event outcome, Instant at) {
        if (outcome.timedOut()) return null;
        ctx.inbox().consume(outcome.inboxSequence());
        return new InboxEvent(outcome.inboxSequence(), outcome.eventName(), outcome.eventInput(), at);
    }
}
