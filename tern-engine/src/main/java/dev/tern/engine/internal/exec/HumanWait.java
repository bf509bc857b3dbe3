package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 * A question to a human as a step: the first execution opens the interaction (the run becomes awaiting-human) with the
 * step recorded as waiting, later replays find it; the step completes with the answer or a timeout.
 */
final class HumanWait<T> implements DurableWait.Kind<StepOutcome.Human, Optional<T>> {
    private static final TypeSchemas SCHEMAS = new TypeSchemas();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final RunExecution exec;
    private final HumanQuestion question;
    private final Class<T> answerType;
    private String interactionId;
    private Instant timeoutAt;

    HumanWait(RunExecution exec, HumanQuestion question, Class<T> answerType) {
        this.exec = exec;
        this.question = question;
        this.answerType = answerType;
    }

    @Override
    public StepKind kind() {
        return StepKind.HUMAN;
    }

    @Override
    public String stepName() {
        return StepNames.HUMAN;
    }

    @Override
    public StepOutcome.Human read(JsonNode output) {
        return StepOutcome.Human.from(output);
    }

    /** Opens the question, blocking the run, with the waiting step in the same write. */
    @Override
    public StepRecord begin(int seq, StepRecord recorded, Instant started) {
        if (recorded != null) {
            StepOutcome.Human asked = read(recorded.output());
            interactionId = asked.interactionId();
            timeoutAt = asked.timeoutAt();
            return recorded;
        }
        interactionId = newId();
        timeoutAt = question.timeout() == null ? null : started.plus(question.timeout());
        InteractionRecord interaction = new InteractionRecord(
                interactionId,
                exec.runId(),
                seq,
                question.prompt(),
                answerSchema(),
                InteractionRecord.OPEN,
                null,
                started,
                timeoutAt,
                null);
        StepRecord waiting = new StepRecord(
                exec.runId(),
                seq,
                StepNames.HUMAN,
                StepKind.HUMAN,
                StepRecord.WAITING,
                JsonNodeFactory.instance.objectNode().put("prompt", question.prompt()),
                StepOutcome.Human.asked(interactionId, timeoutAt).toJson(),
                null,
                1,
                started,
                null,
                exec.attempt());
        if (!Durable.await(exec.host().store().openInteraction(waiting, interaction))) {
            throw new WorkflowInterrupt.Lost(exec.runId());
        }
        return waiting;
    }

    /** Answered, or past its timeout (closed unanswered, unless an answer got there first). */
    @Override
    public DurableWait.Check<StepOutcome.Human> check() {
        InteractionRecord current = Durable.read(() -> exec.host().store().interaction(exec.runId(), interactionId))
                .orElseThrow(() -> new WorkflowInterrupt.Lost(exec.runId()));
        Instant now = exec.host().clock().instant();
        if (InteractionRecord.ANSWERED.equals(current.status())) {
            return DurableWait.Check.done(StepOutcome.Human.answered(interactionId, current.answer()), now);
        }
        if (timeoutAt != null && !now.isBefore(timeoutAt)) {
            if (Durable.await(
                    exec.host().store().timeOutInteraction(exec.runId(), exec.attempt(), interactionId, now))) {
                return DurableWait.Check.done(StepOutcome.Human.timeout(interactionId), now);
            }
            return DurableWait.Check.retry();
        }
        return DurableWait.Check.pending(timeoutAt, now);
    }

    @Override
    public Optional<T> result(StepOutcome.Human outcome, Instant at) {
        if (outcome.timedOut()) return Optional.empty();
        return Optional.ofNullable(Json.convert(outcome.answer(), answerType));
    }

    /** The open interaction says what the run waits on; the store closes it with the answer or time-out. */
    @Override
    public boolean usesWaitMarks() {
        return false;
    }

    private JsonNode answerSchema() {
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
