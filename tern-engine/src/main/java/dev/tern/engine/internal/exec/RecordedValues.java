package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What an execution records once and replays after: values (time, randomness, ids, budget raises) and patch markers. A
 * patch marker follows Temporal's model: {@code patched(id)} in an execution past its recorded history records the
 * marker and returns true; on replay it returns true iff the marker is at that position (taking the position), and
 * false when another step is recorded there, or the run suspended there on a wait recorded only when it ends (a history
 * from before the patch; the position is left to that step).
 */
final class RecordedValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ExecutionContext ctx;
    private final RunExecution exec;

    RecordedValues(ExecutionContext ctx, RunExecution exec) {
        this.ctx = ctx;
        this.exec = exec;
    }

    /** The time, recorded once: what a workflow's {@code now()} returns, the same in every replay. */
    Instant now(Clock clock) {
        return Instant.ofEpochMilli(value(StepNames.NOW, StepKind.NOW, () -> NODES.numberNode(clock.millis()))
                .asLong());
    }

    /** A random number in [0, 1), recorded once. */
    double random() {
        return value(
                        StepNames.RANDOM,
                        StepKind.RANDOM,
                        () -> NODES.numberNode(ThreadLocalRandom.current().nextDouble()))
                .asDouble();
    }

    /** A random UUID, recorded once. */
    UUID uuid() {
        return UUID.fromString(value(
                        StepNames.UUID,
                        StepKind.UUID,
                        () -> NODES.textNode(UUID.randomUUID().toString()))
                .asText());
    }

    /** A value recorded once and replayed after; written without waiting, since later durable writes follow it. */
    JsonNode value(String name, StepKind kind, Supplier<JsonNode> source) {
        int s = ctx.nextSeq();
        StepRecord r = ctx.replay(s, name, kind);
        if (r != null) return r.output();
        JsonNode value = source.get();
        write(
                s,
                name,
                kind,
                value,
                HistoryEventType.STEP_COMPLETED,
                NODES.objectNode().put("name", name).set("value", value));
        return value;
    }

    boolean patched(String patchId) {
        String name = StepNames.patch(check(patchId));
        StepRecord r = ctx.peek();
        if (r != null && !(r.kind() == StepKind.PATCH && r.name().equals(name))) return false;
        // nothing recorded here, but an execution before this one waited here (for an event, say): old code
        if (r == null && ctx.wasReachedBefore(ctx.currentSeq())) return false;
        int s = ctx.nextSeq();
        if (ctx.replay(s, name, StepKind.PATCH) != null) return true;
        write(
                s,
                name,
                StepKind.PATCH,
                null,
                HistoryEventType.PATCH_MARKER,
                NODES.objectNode().put("patchId", patchId));
        return true;
    }

    void deprecatePatch(String patchId) {
        String name = StepNames.patch(check(patchId));
        StepRecord r = ctx.peek();
        if (r != null && r.kind() == StepKind.PATCH && r.name().equals(name)) ctx.nextSeq();
    }

    private static String check(String patchId) {
        if (patchId == null || patchId.isBlank() || patchId.length() > 128)
            throw new IllegalArgumentException("a patch id must be 1 to 128 characters, was '" + patchId + "'");
        return patchId;
    }

    private void write(int seq, String name, StepKind kind, JsonNode value, HistoryEventType event, JsonNode data) {
        Instant now = exec.host().clock().instant();
        StepRecord step = new StepRecord(
                exec.runId(), seq, name, kind, StepRecord.COMPLETED, null, value, null, 1, now, now, exec.attempt());
        exec.host().store().recordStep(step, event, data);
    }
}
