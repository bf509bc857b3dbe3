package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import java.time.Instant;

/**
 * A parent awaiting its child run: the step records how the child ended (its output or error), so replay sees the same
 * outcome. A parent waiting longer than the grace period is suspended and woken when the child ends.
 */
final class ChildWait<T> implements DurableWait.Kind<StepOutcome.Child, T> {
    private final RunExecution exec;
    private final ChildRun child;
    private final Class<T> outputType;
    private final ChildLooks looks;

    /** {@code looks}: the children awaited with this one, looked at together ({@link ChildLooks}); null for none. */
    ChildWait(RunExecution exec, ChildRun child, Class<T> outputType, ChildLooks looks) {
        this.exec = exec;
        this.child = child;
        this.outputType = outputType;
        this.looks = looks;
    }

    @Override
    public StepKind kind() {
        return StepKind.CHILD;
    }

    @Override
    public String stepName() {
        return StepNames.childAwait(child.runId());
    }

    @Override
    public StepOutcome.Child read(JsonNode output) {
        return StepOutcome.Child.from(output);
    }

    @Override
    public DurableWait.Check<StepOutcome.Child> check() {
        StoredRun run = looks != null
                ? looks.look(child.runId())
                : Durable.read(() -> exec.host().store().findRun(child.runId())).orElse(null);
        if (run == null) throw new IllegalArgumentException("no child run " + child.runId());
        if (!exec.runId().equals(run.links().parentId())) {
            throw new IllegalArgumentException("run " + child.runId() + " is not a child of this run");
        }
        Instant now = exec.host().clock().instant();
        if (!run.status().isTerminal()) return DurableWait.Check.pending(null, now);
        JsonNode error = run.error() == null ? null : Json.tree(run.error());
        return DurableWait.Check.done(
                new StepOutcome.Child(run.id(), run.status().wireName(), run.output(), error), now);
    }

    /** A child's end is final: looked at again after a crash, it is the same end. */
    @Override
    public boolean completionDeferrable() {
        return true;
    }

    @Override
    public String waitingOn() {
        return RunWait.CHILD_PREFIX + child.runId();
    }

    /** The child's output; a child that did not complete throws {@link ChildFailedException}. */
    @Override
    public T result(StepOutcome.Child outcome, Instant at) {
        if (!outcome.completed()) {
            throw new ChildFailedException(
                    outcome.childRunId(), outcome.status(), outcome.errorType(), outcome.errorMessage());
        }
        JsonNode output = outcome.output();
        return output == null || output.isNull() ? null : Json.convert(output, outputType);
    }
}
