package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.schema.TypeSchemas;
import dev.tern.sdk.HumanQuestion;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A question to a human as a step: the first execution opens the interaction (the run becomes
 * awaiting-human), later replays find it; the step completes with the answer or a timeout, and
 * until then the run waits in its thread for the grace period and is then suspended.
 */
final class HumanWait {
  static final String STEP_NAME = "human";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final TypeSchemas SCHEMAS = new TypeSchemas();
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private final ExecutionContext ctx;
  private final RunExecution exec;

  HumanWait(ExecutionContext ctx, RunExecution exec) {
    this.ctx = ctx;
    this.exec = exec;
  }

  <T> Optional<T> ask(HumanQuestion question, Class<T> answerType) {
    int seq = ctx.nextSeq();
    StepRecord r = ctx.replay(seq, STEP_NAME, StepKind.HUMAN);
    if (r != null && StepRecord.COMPLETED.equals(r.status())) return outcome(r.output(), answerType);
    String interactionId;
    Instant timeoutAt;
    Instant started;
    if (r == null) {
      started = exec.host().clock().instant();
      interactionId = newId();
      timeoutAt = question.timeout() == null ? null : started.plus(question.timeout());
      InteractionRecord interaction = new InteractionRecord(interactionId, exec.runId(), seq, question.prompt(),
          answerSchema(question, answerType), InteractionRecord.OPEN, null, started, timeoutAt, null);
      ObjectNode out = NODES.objectNode().put("interactionId", interactionId);
      if (timeoutAt != null) out.put("timeoutAt", timeoutAt.toString());
      StepRecord waiting = new StepRecord(exec.runId(), seq, STEP_NAME, StepKind.HUMAN, StepRecord.WAITING,
          NODES.objectNode().put("prompt", question.prompt()), out, null, 1, started, null, exec.attempt());
      if (!Durable.await(exec.host().store().openInteraction(waiting, interaction))) throw new WorkflowInterrupt.Lost(exec.runId());
      r = waiting;
    } else {
      started = r.startedAt();
      interactionId = r.output().get("interactionId").asText();
      timeoutAt = r.output().hasNonNull("timeoutAt") ? Instant.parse(r.output().get("timeoutAt").asText()) : null;
    }
    long graceEnd = exec.host().clock().millis() + exec.host().suspendGrace().toMillis();
    while (true) {
      long signalSeq = ctx.signals().signalSeq();
      InteractionRecord current = Durable.read(() -> exec.host().store().interaction(exec.runId(), interactionId))
          .orElseThrow(() -> new WorkflowInterrupt.Lost(exec.runId()));
      Instant now = exec.host().clock().instant();
      if (InteractionRecord.ANSWERED.equals(current.status())) {
        ObjectNode out = NODES.objectNode().put("interactionId", interactionId);
        out.set("answer", current.answer());
        complete(r, out, now);
        return outcome(out, answerType);
      }
      if (timeoutAt != null && !now.isBefore(timeoutAt)) {
        if (Durable.await(exec.host().store().timeOutInteraction(exec.runId(), exec.attempt(), interactionId, now))) {
          ObjectNode out = NODES.objectNode().put("interactionId", interactionId).put("timedOut", true);
          complete(r, out, now);
          return Optional.empty();
        }
        continue;
      }
      long until = timeoutAt == null ? graceEnd : Math.min(graceEnd, timeoutAt.toEpochMilli());
      if (now.toEpochMilli() >= graceEnd) throw new WorkflowInterrupt.Suspend(timeoutAt, signalSeq);
      exec.park(until - now.toEpochMilli());
    }
  }

  private void complete(StepRecord waiting, ObjectNode out, Instant now) {
    StepRecord done = new StepRecord(exec.runId(), waiting.seq(), STEP_NAME, StepKind.HUMAN, StepRecord.COMPLETED, waiting.input(), out,
        null, 1, waiting.startedAt(), now, exec.attempt());
    ctx.record(done, HistoryEventType.STEP_COMPLETED, NODES.objectNode().put("name", STEP_NAME).put("interactionId",
        out.get("interactionId").asText()));
  }

  private static <T> Optional<T> outcome(JsonNode out, Class<T> answerType) {
    if (out.path("timedOut").asBoolean(false)) return Optional.empty();
    return Optional.ofNullable(Json.convert(out.get("answer"), answerType));
  }

  private static JsonNode answerSchema(HumanQuestion question, Class<?> answerType) {
    if (question.answerSchemaJson() != null) return Json.parse(question.answerSchemaJson());
    if (answerType == Object.class || JsonNode.class.isAssignableFrom(answerType)) return null;
    return SCHEMAS.schemaOf(answerType);
  }

  private static String newId() {
    StringBuilder id = new StringBuilder("int_");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 20; i++) id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    return id.toString();
  }
}
