package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunStatus;
import dev.tern.engine.RunWait;
import dev.tern.engine.internal.json.Json;
import java.time.Instant;

/**
 * A new run's row, both ways: the values its insert binds (named as in the INSERT statements of {@link RunsSql}), and
 * the run those values make as a read would return it. Kept side by side so the two cannot drift apart; the store
 * contract test holds the second equal to a read.
 */
final class NewRunRow {
    private NewRunRow() {}

    /** Room enough for {@link #params} and what {@link #startedParams} and the stores add to it. */
    private static final int VALUES = 32;

    /**
     * The values of a new run's row, named as in the INSERT statements: a run created with an owner is running in its
     * first attempt, leased until {@code leaseUntil}; a queued one is due at once.
     */
    static NamedSql.Params params(NewRun run) {
        boolean owned = run.owner() != null;
        var o = run.options();
        var l = run.links();
        return NamedSql.Params.sized(VALUES)
                .and("id", run.id())
                .and("kind", run.kind())
                .and("name", run.name())
                .and("status", owned ? "running" : "queued")
                .and("input", run.inputJson())
                .and("createdAt", run.createdAt())
                .and("startedAt", owned ? run.createdAt() : null)
                .and("attempt", owned ? 1 : 0)
                .and("owner", run.owner())
                .and("readyAt", owned ? run.leaseUntil() : run.createdAt())
                .and("deadlineAt", o.deadlineAt())
                .and("idempotencyKey", o.idempotencyKey())
                .and("webhookUrl", o.webhookUrl())
                .and("parentId", l.parentId())
                .and("threadId", o.threadId() != null ? o.threadId() : l.threadId())
                .and("continuedFrom", l.continuedFrom())
                .and("agentId", l.agentId() != null ? l.agentId() : run.id())
                .and("budget", o.budget() == null ? null : Json.write(o.budget()))
                .and("traceParent", l.traceParent())
                .and(
                        "forkedFrom",
                        l.forkedFrom() == null ? null : l.forkedFrom().runId())
                .and(
                        "forkedStep",
                        l.forkedFrom() == null ? null : l.forkedFrom().step())
                .and("modelChoice", o.model() == null ? null : Json.write(o.model()))
                .and("orgId", o.orgId() == null ? dev.tern.engine.RunRecord.DEFAULT_ORG : o.orgId())
                .and("revision", run.release().revision())
                .and("releaseChannel", run.release().channel())
                // references: the texts are stored once each, queued ahead of the creation (SnapshotRows)
                .and("executionProfile", SnapshotTexts.stored(run.release().executionProfile()))
                .and("runPolicy", SnapshotTexts.stored(run.release().runPolicy()));
    }

    /**
     * {@link #params} of a run started at once by its creating node, with its two first events' values:
     * {@code run_created} ({@code created}) and {@code attempt_started}.
     */
    static NamedSql.Params startedParams(NewRun run, HistoryAppend created) {
        return params(run)
                .and("createdEvent", HistoryEventType.RUN_CREATED.wireName())
                .and("createdData", created.dataJson())
                .and("attemptEvent", HistoryEventType.ATTEMPT_STARTED.wireName())
                .and("attemptData", Json.write(AttemptRows.startedData(run.owner())));
    }

    /**
     * The row {@link #params} writes, as a read right after the insert finds it (times to the millisecond, JSON values
     * as read back, {@code input} the run's), with the event sequence its first events leave: whoever created the run
     * has it without reading it.
     */
    static StoredRun inserted(NewRun run, JsonNode input) {
        boolean owned = run.owner() != null;
        var o = run.options();
        var l = run.links();
        Instant created = millis(run.createdAt());
        var release = run.release();
        return new StoredRun(
                run.id(),
                run.kind(),
                run.name(),
                owned ? RunStatus.RUNNING : RunStatus.QUEUED,
                input,
                null,
                null,
                created,
                owned ? created : null,
                null,
                created,
                owned ? 1 : 0,
                run.owner(),
                false,
                null,
                false,
                owned ? 2 : 1,
                millis(o.deadlineAt()),
                o.idempotencyKey(),
                o.webhookUrl(),
                new RunLinks(
                        l.parentId(),
                        o.threadId() != null ? o.threadId() : l.threadId(),
                        l.continuedFrom(),
                        l.agentId() != null ? l.agentId() : run.id(),
                        l.traceParent(),
                        l.forkedFrom()),
                RunWait.NONE,
                o.budget() == null ? null : Json.read(Json.write(o.budget()), dev.tern.sdk.Budget.class),
                o.model() == null ? null : Json.read(Json.write(o.model()), dev.tern.sdk.ModelChoice.class),
                run.orgId(),
                new dev.tern.engine.RunRelease(
                        release.revision(),
                        release.channel(),
                        // the tree a read shares for this text: parsed once per distinct profile, not per run
                        RunColumns.snapshot(SnapshotTexts.of(release.executionProfile())),
                        RunColumns.snapshot(SnapshotTexts.of(release.runPolicy()))),
                1);
    }

    private static Instant millis(Instant at) {
        return at == null ? null : Instant.ofEpochMilli(at.toEpochMilli());
    }
}
