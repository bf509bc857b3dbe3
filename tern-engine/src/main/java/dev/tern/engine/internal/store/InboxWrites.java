package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Stores an event in a run's inbox: in the run itself while it is unfinished, else in the run its agent continued as
 * (following the links), waking it; one transaction with its history event.
 */
final class InboxWrites {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final NamedSql INSERT = NamedSql.parse("""
      INSERT INTO inbox (run_id, inbox_seq, name, payload, at) VALUES (:runId, :inboxSeq, :name, :payload, :at)""");

    /** The run that continues run {@code continued_from} as the same agent: read through {@code runs_continuation}. */
    static final String CONTINUATION = "SELECT id FROM runs WHERE agent_id = ? AND continued_from = ?";

    private InboxWrites() {}

    static SendOutcome append(
            Tx tx, RunRows rows, String runId, String eventName, String payloadJson, Instant now, String by)
            throws SQLException {
        String target = runId;
        OptionalLong taken;
        while ((taken = takeSeq(tx, target, now)).isEmpty()) {
            List<String> agent =
                    tx.query("SELECT agent_id FROM runs WHERE id = ?", rs -> String.valueOf(rs.getString(1)), target);
            if (agent.isEmpty()) return new SendOutcome(runId, 0, false, false);
            List<String> next = tx.query(CONTINUATION, rs -> rs.getString(1), agent.get(0), target);
            if (next.isEmpty()) return new SendOutcome(runId, 0, true, true);
            target = next.get(0);
        }
        long seq = taken.getAsLong();
        String landed = target;
        insert(tx, landed, seq, eventName, payloadJson, now);
        ObjectNode data = NODES.objectNode().put("eventName", eventName).put("inboxSequence", seq);
        data.set("eventInput", Json.parse(payloadJson));
        if (by != null) data.put("by", by);
        rows.appendHistory(tx, landed, HistoryEventType.EVENT_RECEIVED, now, null, null, data);
        rows.notify(tx, Signal.Kind.EVENT, landed);
        return new SendOutcome(landed, seq, true, false);
    }

    /** The run's next inbox sequence, waking it, if it is unfinished. */
    private static OptionalLong takeSeq(Tx tx, String runId, Instant now) throws SQLException {
        return tx.queryLong(
                RunsSql.TAKE_INBOX_SEQ, NamedSql.Params.of("now", now).and("runId", runId));
    }

    static void insert(Tx tx, String runId, long seq, String name, String payloadJson, Instant at) throws SQLException {
        tx.update(
                INSERT,
                NamedSql.Params.of("runId", runId)
                        .and("inboxSeq", seq)
                        .and("name", name)
                        .and("payload", payloadJson)
                        .and("at", at));
    }
}
