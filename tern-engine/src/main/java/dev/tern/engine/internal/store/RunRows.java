package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunStatus;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The building blocks every store write is made of, inside the writer's transaction, on either database: creating a
 * run, appending to its history, status changes (with their webhook deliveries), attempts, waking a run and telling
 * other nodes. What differs between the databases is delegated to the {@link RunWrites} and {@link HistoryWrites}
 * chosen for this store.
 */
final class RunRows {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunWrites runs;
    private final HistoryWrites history;
    private final WebhookOutbox outbox = new WebhookOutbox();

    RunRows(RunWrites runs, HistoryWrites history) {
        this.runs = runs;
        this.history = history;
    }

    RunWrites runs() {
        return runs;
    }

    /**
     * The data of a new run's {@code run_created} event as stored: without the run's input, which its row holds and
     * history reads put back ({@link CreatedInput}).
     */
    static ObjectNode createdData(NewRun run) {
        var o = run.options();
        var l = run.links();
        ObjectNode created = NODES.objectNode().put("kind", run.kind()).put("name", run.name());
        if (!run.orgId().equals(dev.tern.engine.RunRecord.DEFAULT_ORG)) created.put("orgId", run.orgId());
        if (l.parentId() != null) created.put("parentRunId", l.parentId());
        if (l.continuedFrom() != null) created.put("continuedFrom", l.continuedFrom());
        if (l.forkedFrom() != null)
            created.putObject("forkedFrom")
                    .put("runId", l.forkedFrom().runId())
                    .put("step", l.forkedFrom().step());
        if (o.deadlineAt() != null) created.put("deadlineAt", o.deadlineAt().toString());
        if (o.caller() != null) created.set("caller", o.caller());
        if (o.model() != null) created.set("model", Json.tree(o.model()));
        return created;
    }

    /** A new run's {@code run_created} event, its data written as JSON here (before the run's write is queued). */
    static HistoryAppend createdEvent(NewRun run) {
        return new HistoryAppend(HistoryEventType.RUN_CREATED, run.createdAt(), null, createdData(run));
    }

    /** Inserts the run unless its idempotency key is taken; returns the id of the run that holds the key. */
    String create(Tx tx, NewRun run) throws SQLException {
        return create(tx, run, createdEvent(run));
    }

    /** {@link #create(Tx, NewRun)} with its {@code run_created} event made beforehand. */
    String create(Tx tx, NewRun run, HistoryAppend created) throws SQLException {
        var o = run.options();
        if (run.quota() != null && run.quota().limits()) {
            // a retried request finds its run even when the organisation is at its quota now
            if (o.idempotencyKey() != null) {
                List<String> existing = tx.query(
                        "SELECT id FROM runs WHERE org_id = ? AND idempotency_key = ?",
                        rs -> rs.getString(1),
                        run.orgId(),
                        o.idempotencyKey());
                if (!existing.isEmpty()) return existing.get(0);
            }
            OrgQuotas.check(tx, run.orgId(), run.quota(), run.createdAt());
        }
        if (!runs.insert(tx, run, created)) return keyHolder(tx, run);
        // a new run's run_created event is always its first
        RunStatus status = run.owner() != null ? RunStatus.RUNNING : RunStatus.QUEUED;
        if (o.webhookUrl() != null) outbox.enqueue(tx, run.id(), o.webhookUrl(), status, 1, run.createdAt());
        return run.id();
    }

    /** The run holding {@code run}'s idempotency key, which an insert of {@code run} found taken. */
    static String keyHolder(Tx tx, NewRun run) throws SQLException {
        return tx.query(
                        "SELECT id FROM runs WHERE org_id = ? AND idempotency_key = ?",
                        rs -> rs.getString(1),
                        run.orgId(),
                        run.options().idempotencyKey())
                .get(0);
    }

    long appendHistory(
            Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data)
            throws SQLException {
        return history.append(tx, runId, attempt, new HistoryAppend(type, at, stepSeq, data));
    }

    /** Appends a history event only while {@code attempt} owns the running run (fencing a node that lost its lease). */
    OptionalLong appendOwnedHistory(
            Tx tx, String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq, JsonNode data)
            throws SQLException {
        return appendOwned(tx, runId, attempt, new HistoryAppend(type, at, stepSeq, data));
    }

    /** {@link #appendOwnedHistory} of an event made beforehand (its data written as JSON by whoever made it). */
    OptionalLong appendOwned(Tx tx, String runId, int attempt, HistoryAppend event) throws SQLException {
        return history.appendOwned(tx, runId, attempt, event);
    }

    /**
     * Like {@link #appendOwnedHistory}, for an event that moves the run to {@code status}: when the run has a webhook
     * URL, the delivery telling it so is queued in the same transaction.
     */
    OptionalLong appendOwnedStatusChange(
            Tx tx,
            String runId,
            int attempt,
            HistoryEventType type,
            Instant at,
            Integer stepSeq,
            JsonNode data,
            RunStatus status)
            throws SQLException {
        Optional<HistoryRows.Appended> appended =
                HistoryRows.appendOwnedWithWebhook(tx, runId, attempt, new HistoryAppend(type, at, stepSeq, data));
        if (appended.isEmpty()) return OptionalLong.empty();
        statusChanged(
                tx, runId, appended.get().webhookUrl(), status, appended.get().seq(), at);
        return OptionalLong.of(appended.get().seq());
    }

    /**
     * Like {@link #appendHistory}, for an event that moves the run to {@code status} (queuing its webhook delivery).
     */
    long appendStatusChange(
            Tx tx, String runId, HistoryEventType type, Instant at, Integer attempt, JsonNode data, RunStatus status)
            throws SQLException {
        HistoryRows.Appended a =
                HistoryRows.appendWithWebhook(tx, runId, attempt, new HistoryAppend(type, at, null, data));
        statusChanged(tx, runId, a.webhookUrl(), status, a.seq(), at);
        return a.seq();
    }

    /** Queues the webhook delivery of a status change whose history event was appended at {@code seq}. */
    void statusChanged(Tx tx, String runId, String webhookUrl, RunStatus status, long seq, Instant at)
            throws SQLException {
        if (webhookUrl != null) outbox.enqueue(tx, runId, webhookUrl, status, seq, at);
    }

    /**
     * Opens each claim's new attempt and appends its {@code attempt_started} event, the statements of each kind sent
     * together where the database allows; the events' sequences, in order.
     */
    long[] startAttempts(Tx tx, List<Claim> fresh, String nodeId, Instant now) throws SQLException {
        if (fresh.isEmpty()) return new long[0];
        List<HistoryWrites.RunEvent> events = new ArrayList<>(fresh.size());
        JsonNode started = AttemptRows.startedData(nodeId);
        for (Claim c : fresh)
            events.add(new HistoryWrites.RunEvent(
                    c.runId(), c.attempt(), new HistoryAppend(HistoryEventType.ATTEMPT_STARTED, now, null, started)));
        tx.updateAll(AttemptRows.INSERT.jdbc(), AttemptRows.argsOf(AttemptRows.INSERT, fresh, nodeId, now));
        return history.appendAll(tx, events);
    }

    /**
     * A child run started by {@code step} of its parent, with the parent's {@code child_started} event and the step's
     * row; false, with nothing written, if the parent's attempt no longer owns it.
     */
    boolean startChild(Tx tx, dev.tern.engine.StepRecord step, NewRun child) throws SQLException {
        ObjectNode data = NODES.objectNode().put("childRunId", child.id()).put("name", child.name());
        // the parent's event and step row as any step's checkpoint writes them (one statement on PostgreSQL)
        Checkpoint started = new Checkpoint(step, HistoryEventType.CHILD_STARTED, data);
        if (!history.checkpoint(tx, started, started.takeEvents())) return false;
        create(tx, child);
        return true;
    }

    /** Tells this node of a run the transaction's own statement woke (other nodes were told by that statement). */
    void woken(Tx tx, String runId) {
        tx.signal(Signal.Kind.EVENT, runId);
    }

    /** Wakes a run so it replays soon: bumps its signal sequence, and makes it due if it is suspended. */
    void wake(Tx tx, String runId, Instant now) throws SQLException {
        tx.update(RunsSql.WAKE, NamedSql.Params.of("now", now).and("runId", runId));
        notify(tx, Signal.Kind.EVENT, runId);
    }

    /**
     * Tells other nodes about a change as this transaction commits (nobody to tell on a single-process store), and this
     * node too when the change is for one run that may execute here ({@link Signal.Kind#forOneRun}): a parent a child's
     * end woke, a child its parent's end cancelled. This node's own runs then learn of it at the commit, not a
     * notification's round trip later, nor, on SQLite, only after their suspend grace or the next lease renewal.
     */
    void notify(Tx tx, Signal.Kind kind, String runId) throws SQLException {
        runs.notify(tx, kind, runId);
        if (kind.forOneRun()) tx.signal(kind, runId);
    }
}
