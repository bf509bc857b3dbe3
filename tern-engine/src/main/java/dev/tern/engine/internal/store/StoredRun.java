package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.RunWait;
import dev.tern.sdk.Budget;
import java.time.Instant;

/**
 * A run's row as the store holds it, for the engine: besides what clients see, the scheduler's state ({@code owner},
 * {@code suspended}, {@code wakeAt}) and the status the engine schedules by ({@code storedStatus}), from which
 * {@link #status()}, the one clients see, is derived. Its {@code kind} is the wire name, as the engine's internals pass
 * it on. {@link #toRecord()} is the client's view, {@link RunRecord}.
 */
public record StoredRun(
        String id,
        String kind,
        String name,
        RunStatus storedStatus,
        JsonNode input,
        JsonNode output,
        ErrorInfo error,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        int attempt,
        String owner,
        boolean suspended,
        Instant wakeAt,
        boolean cancelRequested,
        long lastEventSeq,
        Instant deadlineAt,
        String idempotencyKey,
        String webhookUrl,
        RunLinks links,
        RunWait waiting,
        Budget budget,
        dev.tern.sdk.ModelChoice modelChoice,
        String orgId,
        dev.tern.engine.RunRelease release,
        long version) {

    /**
     * This run as its attempt's end leaves it: the end's {@code status}, output, error and time ({@code at}, as the
     * store keeps it), no owner, suspension or wait; {@code startedAt}, {@code cancelRequested}, {@code lastEventSeq}
     * and {@code version} as the end's statement found them (others change them while the run executes). Every other
     * column is fixed when the run is created, so this copy's, made when the attempt started, are the row's.
     */
    StoredRun ended(
            RunStatus status,
            JsonNode output,
            ErrorInfo error,
            Instant at,
            Instant startedAt,
            boolean cancelRequested,
            long lastEventSeq,
            long version) {
        return new StoredRun(
                id,
                kind,
                name,
                status,
                input,
                output,
                error,
                createdAt,
                startedAt,
                at,
                at,
                attempt,
                null,
                false,
                null,
                cancelRequested,
                lastEventSeq,
                deadlineAt,
                idempotencyKey,
                webhookUrl,
                links,
                RunWait.NONE,
                budget,
                modelChoice,
                orgId,
                release,
                version);
    }

    /** The status clients see: a running run blocked on a human is awaiting-human, one waiting on a limit is queued. */
    public RunStatus status() {
        if (storedStatus == RunStatus.RUNNING && waiting != null) {
            if (waiting.onHuman()) return RunStatus.AWAITING_HUMAN;
            if (waiting.onLimit()) return RunStatus.QUEUED;
        }
        return storedStatus;
    }

    /** The run as clients see it. */
    public RunRecord toRecord() {
        return RunRecord.builder(id, RunKind.fromWire(kind).orElseThrow(), name, status())
                .input(input)
                .output(output)
                .error(error)
                .createdAt(createdAt)
                .startedAt(startedAt)
                .completedAt(completedAt)
                .updatedAt(updatedAt)
                .attempt(attempt)
                .lastEventSeq(lastEventSeq)
                .version(version)
                .cancelRequested(cancelRequested)
                .suspension(suspended ? new RunRecord.Suspension(wakeAt) : null)
                .waiting(waiting)
                .links(links)
                .deadlineAt(deadlineAt)
                .idempotencyKey(idempotencyKey)
                .webhookUrl(webhookUrl)
                .budget(budget)
                .orgId(orgId)
                .release(release)
                .build();
    }
}
