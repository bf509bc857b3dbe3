package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Continue-as-new in one transaction: the old run records where it went and ends completed, the new run is created with
 * the same agent id, its state as step 0, and the old run's unconsumed events copied into its inbox in their order.
 * Events sent later to the old id follow the link.
 */
final class RunContinuations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunRows rows;
    private final RunEndings endings;

    RunContinuations(RunRows rows, RunEndings endings) {
        this.rows = rows;
        this.endings = endings;
    }

    /** False if {@code attempt} no longer owns the running run: nothing is written. */
    boolean continueAsNew(Tx tx, Continuation c) throws SQLException {
        record Old(
                String kind,
                String name,
                String input,
                String threadId,
                String webhookUrl,
                Instant deadlineAt,
                String agentId,
                String budget,
                String traceParent,
                String modelChoice,
                String orgId,
                dev.tern.engine.RunRelease release) {}
        record Pending(long seq, String name, String payload) {}
        OptionalLong fenced = rows.appendOwnedHistory(
                tx,
                c.runId(),
                c.attempt(),
                HistoryEventType.CONTINUED_AS_NEW,
                c.now(),
                null,
                NODES.objectNode().put("nextRunId", c.nextRunId()));
        if (fenced.isEmpty()) return false;
        Old old = tx.query(
                        "SELECT kind, name, input, thread_id, webhook_url, deadline_at, agent_id, budget, "
                                + "trace_parent, model_choice, org_id, revision, release_channel, execution_profile, "
                                + "run_policy "
                                + "FROM runs "
                                + "WHERE id = ?",
                        rs -> new Old(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Sql.instant(rs, "deadline_at"),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                new dev.tern.engine.RunRelease(
                                        rs.getString(12),
                                        rs.getString(13),
                                        RunColumns.snapshot(rs, 14),
                                        RunColumns.snapshot(rs, 15))),
                        c.runId())
                .get(0);
        List<Pending> pending = tx
                .query(
                        "SELECT inbox_seq, name, payload FROM inbox WHERE run_id = ? ORDER BY inbox_seq",
                        rs -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3)),
                        c.runId())
                .stream()
                .filter(p -> !c.consumedEvents().contains(p.seq()))
                .toList();

        RunOptions options = RunOptions.none()
                .withThreadId(old.threadId())
                .withWebhookUrl(old.webhookUrl())
                .withDeadline(old.deadlineAt())
                .withBudget(Json.read(old.budget(), dev.tern.sdk.Budget.class))
                .withModel(Json.read(old.modelChoice(), dev.tern.sdk.ModelChoice.class))
                .withOrg(old.orgId());
        SnapshotRows.insert(tx, old.release());
        rows.create(
                tx,
                new NewRun(
                                c.nextRunId(),
                                old.kind(),
                                old.name(),
                                old.input(),
                                c.now(),
                                null,
                                null,
                                options,
                                new RunLinks(
                                        null,
                                        old.threadId(),
                                        c.runId(),
                                        old.agentId() != null ? old.agentId() : c.runId(),
                                        old.traceParent()))
                        .withRelease(old.release()));
        StepRows.upsert(
                tx,
                new StepRecord(
                        c.nextRunId(),
                        0,
                        Continuation.STATE_STEP,
                        StepKind.STATE,
                        StepRecord.COMPLETED,
                        null,
                        Json.parse(c.stateJson()),
                        null,
                        1,
                        c.now(),
                        c.now(),
                        0));
        long seq = 0;
        for (Pending p : pending) {
            seq++;
            InboxWrites.insert(tx, c.nextRunId(), seq, p.name(), p.payload(), c.now());
            ObjectNode data = NODES.objectNode()
                    .put("eventName", p.name())
                    .put("inboxSequence", seq)
                    .put("carriedFrom", c.runId());
            data.set("eventInput", Json.parse(p.payload()));
            rows.appendHistory(tx, c.nextRunId(), HistoryEventType.EVENT_RECEIVED, c.now(), null, null, data);
        }
        if (seq > 0)
            tx.update(RunsSql.SET_INBOX_SEQ, NamedSql.Params.of("inboxSeq", seq).and("runId", c.nextRunId()));
        String output = Json.write(NODES.objectNode().put("continuedAs", c.nextRunId()));
        return endings.finish(
                tx, RunEnd.of(c.runId(), c.attempt(), RunStatus.COMPLETED, output, null, c.now()), List.of());
    }
}
