package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.RunIds;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.Violation;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.RunnableDefinition;
import java.time.Instant;
import java.util.List;

/**
 * Starting a child run as a step: the child is created and the step recorded in one transaction (so a crash can never
 * start it twice), and replay returns the recorded child. Not a wait: awaiting the child is {@link ChildWait}.
 */
final class ChildStart {
    private static final TypeSchemas SCHEMAS = new TypeSchemas();

    private final ExecutionContext ctx;
    private final RunExecution exec;

    ChildStart(ExecutionContext ctx, RunExecution exec) {
        this.ctx = ctx;
        this.exec = exec;
    }

    ChildRun start(String name, Object input) {
        int seq = ctx.nextSeq();
        String stepName = StepNames.childStart(name);
        StepRecord r = ctx.replay(seq, stepName, StepKind.CHILD);
        if (r != null)
            return new ChildRun(StepOutcome.ChildStarted.from(r.output()).childRunId(), name);
        RunnableDefinition definition = exec.host()
                .definition(name)
                .orElseThrow(() ->
                        new IllegalArgumentException("no agent or workflow named '" + name + "' to start as a child"));
        JsonNode json = input == null ? JsonNodeFactory.instance.objectNode() : Json.tree(input);
        List<Violation> violations = SCHEMAS.validate(definition.inputType(), json);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("input of child '" + name + "' breaks its schema: " + violations);
        }
        StoredRun parent = parentRow();
        Instant now = exec.host().clock().instant();
        String childId = RunIds.nextBeside(exec.runId(), now.toEpochMilli());
        // started here, as this node's, when it has a slot free: no claim, no read of the child before it runs
        boolean here = exec.host().reserveSlot(childId);
        RunOptions options = RunOptions.none()
                .withDeadline(parent.deadlineAt())
                .withThreadId(parent.links().threadId())
                .withOrg(parent.orgId());
        NewRun child = new NewRun(
                        childId,
                        definition.kind().wireName(),
                        name,
                        Json.write(json),
                        now,
                        here ? exec.host().nodeId() : null,
                        here ? now.plus(exec.host().leaseDuration()) : null,
                        options,
                        new RunLinks(
                                exec.runId(),
                                parent.links().threadId(),
                                null,
                                null,
                                exec.host()
                                        .telemetry()
                                        .tracing()
                                        .traceParentForNewRun(definition.kind().wireName(), name)))
                .withRelease(dev.tern.engine.RunRelease.forChild(parent.release(), definition, options));
        StepRecord step = new StepRecord(
                exec.runId(),
                seq,
                stepName,
                StepKind.CHILD,
                StepRecord.COMPLETED,
                json,
                new StepOutcome.ChildStarted(childId, name).toJson(),
                null,
                1,
                now,
                now,
                exec.attempt());
        ctx.noteChild();
        boolean written = false;
        try {
            written = Durable.await(exec.host().store().startChild(step, child));
        } finally {
            if (here && !written) exec.host().releaseSlot(childId);
        }
        if (!written) throw new WorkflowInterrupt.Lost(exec.runId());
        exec.host().telemetry().metrics().runStarted(definition.kind().wireName(), name);
        if (here) exec.host().startReserved(childId, RunStart.of(child.inserted(json)), null);
        else exec.host().workAdded();
        return new ChildRun(childId, name);
    }

    /**
     * The parent's row as this attempt started with it, read only when the execution does not hold it: what a child
     * takes from it (deadline, thread, organisation, release channel) never changes while the run lives, and the
     * child's write is fenced by the parent's attempt anyway.
     */
    private StoredRun parentRow() {
        RunStart started = exec.startedAs();
        if (started != null && started.row() != null) return started.row();
        return Durable.read(() -> exec.host().store().findRun(exec.runId()))
                .orElseThrow(() -> new WorkflowInterrupt.Lost(exec.runId()));
    }
}
