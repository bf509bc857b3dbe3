package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Continuation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-lived agent's replay short: once its run has recorded {@code afterSteps} steps, at the next wait for an
 * event it continues as a new run carrying its state as JSON (fields of any visibility), and a continued run starts
 * from that state instead of the initial one.
 */
final class AgentCarryOver {
    private static final Logger log = LoggerFactory.getLogger(AgentCarryOver.class);
    private static final ObjectMapper STATE = Json.MAPPER.copy().setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

    private final int afterSteps;
    private boolean unserializable;

    AgentCarryOver(int afterSteps) {
        this.afterSteps = afterSteps;
    }

    /** The state the previous run carried over, read back as the class of the freshly built state. */
    @SuppressWarnings("unchecked")
    <S> S restore(ExecutionContext ctx, S fresh) {
        int s = ctx.nextSeq();
        StepRecord r = ctx.replay(s, Continuation.STATE_STEP, StepKind.STATE);
        if (r == null)
            throw new IllegalStateException("run " + ctx.runId() + " continues another run but has no carried state");
        return (S) STATE.convertValue(r.output(), fresh.getClass());
    }

    /**
     * Ends this run for a continuation when its history is long enough; a state Jackson cannot write keeps the run
     * going.
     */
    void continueIfLong(ExecutionContext ctx, Object state) {
        if (afterSteps == 0 || unserializable || ctx.currentSeq() < afterSteps) return;
        JsonNode tree;
        try {
            tree = STATE.valueToTree(state);
        } catch (IllegalArgumentException e) {
            unserializable = true;
            log.warn(
                    "run {}: agent state {} cannot be written as JSON, so the run cannot continue as new: {}",
                    ctx.runId(),
                    state.getClass().getName(),
                    e.getMessage());
            return;
        }
        ctx.flush();
        throw new WorkflowInterrupt.ContinueAsNew(tree, ctx.consumedEvents());
    }
}
