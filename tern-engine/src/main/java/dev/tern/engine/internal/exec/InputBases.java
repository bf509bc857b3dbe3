package dev.tern.engine.internal.exec;

import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.StepInputText.InputBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last durable step of each name in a run's execution, with its input: what the next step of that name may store
 * its input against ({@link dev.tern.engine.internal.store.StepInputText}), as an agent's next model call extends the
 * conversation of its last. Only steps known to be durable are named (the replayed ones, and those whose checkpoint
 * this execution waited for), so a stored input never points at a step that could still be lost; parallel steps may see
 * one another's checkpoints late, and then store their input whole.
 */
final class InputBases {
    private final Map<String, InputBase> byName = new ConcurrentHashMap<>();

    /** Starts from the steps an earlier execution left (all durable). */
    InputBases(List<StepRecord> recorded) {
        recorded.forEach(this::durable);
    }

    /** The step of {@code name} whose input the next one may extend, or null. */
    InputBase before(String name) {
        return byName.get(name);
    }

    /** Notes a step whose checkpoint is durable. */
    void durable(StepRecord step) {
        if (step.kind() != StepKind.FUNCTION
                || step.input() == null
                || !step.input().isObject()) return;
        InputBase base = new InputBase(step.seq(), step.input());
        byName.merge(step.name(), base, (old, now) -> now.seq() > old.seq() ? now : old);
    }
}
