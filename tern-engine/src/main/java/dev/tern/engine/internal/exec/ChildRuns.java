package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunIds;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.Violation;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.engine.internal.store.Checkpoint;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.RunnableDefinition;
import java.time.Instant;
import java.util.List;

/**
 * Child runs as steps: starting one creates the child and records the step in one transaction
 * (so a crash can never start it twice), awaiting one records the child's outcome as a step
 * (so replay sees the same outcome). A parent waiting on a child is suspended and woken when the
 * child ends.
 */
final class ChildRuns {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final TypeSchemas SCHEMAS = new TypeSchemas();

  private final ExecutionContext ctx;
  private final RunExecution exec;

  ChildRuns(ExecutionContext ctx, RunExecution exec) {
    this.ctx = ctx;
    this.exec = exec;
  }

  ChildRun start(String name, Object input) {
    int seq = ctx.nextSeq();
    String stepName = "child:" + name;
    StepRecord r = ctx.replay(seq, stepName, StepKind.CHILD);
    if (r != null) return new ChildRun(r.output().get("childRunId").asText(), name);
    RunnableDefinition definition = exec.host().definition(name)
        .orElseThrow(() -> new IllegalArgumentException("no agent or workflow named '" + name + "' to start as a child"));
    JsonNode json = input == null ? NODES.objectNode() : Json.tree(input);
    List<Violation> violations = SCHEMAS.validate(definition.inputType(), json);
    if (!violations.isEmpty()) throw new IllegalArgumentException("input of child '" + name + "' breaks its schema: " + violations);
    RunRecord parent = Durable.read(() -> exec.host().store().findRun(exec.runId())).orElseThrow(() -> new WorkflowInterrupt.Lost(exec.runId()));
    Instant now = exec.host().clock().instant();
    String childId = RunIds.next(now.toEpochMilli());
    NewRun child = new NewRun(childId, definition.kind().wireName(), name, Json.write(json), now, null, null,
        RunOptions.none().withDeadline(parent.deadlineAt()).withThreadId(parent.links().threadId()),
        new RunLinks(exec.runId(), parent.links().threadId(), null, null));
    ObjectNode out = NODES.objectNode().put("childRunId", childId).put("name", name);
    StepRecord step = new StepRecord(exec.runId(), seq, stepName, StepKind.CHILD, StepRecord.COMPLETED, json, out, null, 1, now, now,
        exec.attempt());
    ctx.noteChild();
    if (!Durable.await(exec.host().store().startChild(step, child))) throw new WorkflowInterrupt.Lost(exec.runId());
    exec.host().workAdded();
    return new ChildRun(childId, name);
  }

  <T> T await(ChildRun child, Class<T> outputType) {
    int seq = ctx.nextSeq();
    String stepName = "await:" + child.runId();
    StepRecord r = ctx.replay(seq, stepName, StepKind.CHILD);
    if (r != null && StepRecord.COMPLETED.equals(r.status())) return outcome(r.output(), outputType);
    Instant started = exec.host().clock().instant();
    long graceEnd = started.toEpochMilli() + exec.host().suspendGrace().toMillis();
    while (true) {
      long signalSeq = ctx.signals().signalSeq();
      RunRecord run = Durable.read(() -> exec.host().store().findRun(child.runId()))
          .orElseThrow(() -> new IllegalArgumentException("no child run " + child.runId()));
      if (!exec.runId().equals(run.links().parentId())) throw new IllegalArgumentException("run " + child.runId() + " is not a child of this run");
      Instant now = exec.host().clock().instant();
      if (run.status().isTerminal()) {
        ObjectNode out = NODES.objectNode().put("childRunId", run.id()).put("status", run.status().wireName());
        if (run.output() != null) out.set("output", run.output());
        if (run.error() != null) out.set("error", Json.tree(run.error()));
        ctx.record(new Checkpoint(new StepRecord(exec.runId(), seq, stepName, StepKind.CHILD, StepRecord.COMPLETED, null, out, null, 1, started,
            now, exec.attempt()), HistoryEventType.STEP_COMPLETED, NODES.objectNode().put("name", stepName).put("childStatus",
            run.status().wireName()), ctx.waits().end(now)));
        return outcome(out, outputType);
      }
      ctx.waits().note(RunWait.CHILD_PREFIX + child.runId(), started);
      if (now.toEpochMilli() >= graceEnd) throw new WorkflowInterrupt.Suspend(null, signalSeq);
      exec.park(graceEnd - now.toEpochMilli());
    }
  }

  private static <T> T outcome(JsonNode out, Class<T> outputType) {
    String status = out.get("status").asText();
    if (!"completed".equals(status)) {
      JsonNode error = out.path("error");
      throw new ChildFailedException(out.get("childRunId").asText(), status, error.path("type").asText(null), error.path("message").asText(null));
    }
    JsonNode output = out.get("output");
    return output == null || output.isNull() ? null : Json.convert(output, outputType);
  }
}
