package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Values a run records once and replays after (the time, random numbers, a budget raise), and patch markers: a patch's
 * marker is such a value, except that a history recorded before the patch has another step at its position, which
 * {@link #patched} reads as "before the patch" without taking the position.
 */
final class RecordedValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ExecutionContext ctx;

    RecordedValues(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A value recorded once and replayed after; written without waiting, since later durable writes follow it in order.
     */
    JsonNode record(String name, StepKind kind, Supplier<JsonNode> source) {
        int s = ctx.nextSeq();
        StepRecord r = ctx.replay(s, name, kind);
        if (r != null) return r.output();
        JsonNode value = source.get();
        RunExecution exec = ctx.execution();
        Instant now = exec.host().clock().instant();
        exec.host()
                .store()
                .recordStep(
                        new StepRecord(
                                ctx.runId(),
                                s,
                                name,
                                kind,
                                StepRecord.COMPLETED,
                                null,
                                value,
                                null,
                                1,
                                now,
                                now,
                                ctx.attempt()),
                        HistoryEventType.STEP_COMPLETED,
                        NODES.objectNode().put("name", name).set("value", value));
        return value;
    }

    /**
     * Live, or replaying a history that holds this patch's marker here: true (the marker recorded, or taken). Replaying
     * a history with another step here (recorded before the patch): false, and the position is left to that step.
     */
    boolean patched(String patchId) {
        String name = StepNames.patch(requireId(patchId));
        StepRecord r = ctx.recordedAt(ctx.peekSeq());
        if (r != null && !isMarker(r, name)) return false;
        return record(name, StepKind.PATCH, () -> BooleanNode.TRUE).asBoolean();
    }

    /** Records nothing; skips this patch's marker where an older history holds it. */
    void deprecatePatch(String patchId) {
        String name = StepNames.patch(requireId(patchId));
        int s = ctx.peekSeq();
        StepRecord r = ctx.recordedAt(s);
        if (r != null && isMarker(r, name)) ctx.replay(ctx.nextSeq(), name, StepKind.PATCH);
    }

    private static boolean isMarker(StepRecord r, String name) {
        return r.kind() == StepKind.PATCH && r.name().equals(name);
    }

    private static String requireId(String patchId) {
        if (patchId == null || patchId.isBlank()) throw new IllegalArgumentException("a patch id must not be blank");
        return patchId;
    }
}
