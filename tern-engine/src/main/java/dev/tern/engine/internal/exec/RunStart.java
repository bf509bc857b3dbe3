package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.sdk.Budget;
import java.time.Instant;

/**
 * What an execution needs to know of its run to start it: read from the store, or, for a run this node has just created
 * and starts itself, known already (sparing two reads per run).
 *
 * @param traceParent the W3C trace context the run's spans join ({@code null}: none)
 * @param conversationId the run's thread, else the run itself: {@code gen_ai.conversation.id} on its model calls
 * @param modelChoice the model its model calls use instead of the configured one, or {@code null}
 * @param revision the revision of its definition it is pinned to ({@code null}: the newest loaded, for a call run or a
 *     run created before revisions)
 * @param row the run's row as read when this attempt started, or as its creator was told it is ({@code null}: not
 *     known); its end hands it to the store ({@link dev.tern.engine.internal.store.RunEnd#startedAs})
 */
public record RunStart(
        String kind,
        String name,
        JsonNode input,
        Instant deadlineAt,
        boolean continued,
        boolean hasWebhookOrParent,
        Budget budget,
        String traceParent,
        String conversationId,
        dev.tern.sdk.ModelChoice modelChoice,
        String revision,
        StoredRun row) {

    public RunStart {
        if (budget == null) budget = Budget.NONE;
    }

    static RunStart of(StoredRun run) {
        return new RunStart(
                run.kind(),
                run.name(),
                run.input(),
                run.deadlineAt(),
                run.links().continuedFrom() != null,
                run.webhookUrl() != null || run.links().parentId() != null,
                run.budget(),
                run.links().traceParent(),
                run.links().threadId() != null ? run.links().threadId() : run.id(),
                run.modelChoice(),
                run.release().revision(),
                run);
    }
}
