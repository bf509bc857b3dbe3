package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.ForkedFrom;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepRecord;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A fork in one transaction: the new run is created queued, the original's steps before the fork's step are copied into
 * it (replay returns them without executing), and the events those steps consumed are copied into its inbox with their
 * sequence numbers, so the fork's replay takes the same events in the same order and events sent to the fork later come
 * after them. A {@code forked} event in the new run's history names what was taken from the original. The original is
 * only read.
 */
final class RunForks {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunRows rows;

    RunForks(RunRows rows) {
        this.rows = rows;
    }

    /** A fork to create: {@code run} carries its {@link ForkedFrom}; {@code events}, the inbox entries to copy. */
    record Fork(NewRun run, List<Long> events) {
        Fork {
            if (run.links().forkedFrom() == null) throw new IllegalArgumentException("a fork names its origin");
            events = List.copyOf(events);
        }
    }

    String fork(Tx tx, Fork fork) throws SQLException {
        NewRun run = fork.run();
        ForkedFrom from = run.links().forkedFrom();
        String id = rows.create(tx, run);
        if (!id.equals(run.id())) return id; // its idempotency key found the fork the same request made before
        List<StepRecord> copied = tx.query(
                "SELECT * FROM steps WHERE run_id = ? AND seq < ? ORDER BY seq",
                RunReader.steps(),
                from.runId(),
                from.step());
        ObjectNode data = NODES.objectNode().put("fromRunId", from.runId()).put("fromStep", from.step());
        var seqs = data.putArray("steps");
        for (StepRecord s : copied) {
            StepRows.upsert(tx, copyFor(id, s));
            seqs.add(s.seq());
        }
        var events = data.putArray("events");
        long last = 0;
        for (long inboxSeq : fork.events()) {
            record Event(String name, String payload, Instant at) {}
            List<Event> found = tx.query(
                    "SELECT name, payload, at FROM inbox WHERE run_id = ? AND inbox_seq = ?",
                    rs -> new Event(rs.getString(1), rs.getString(2), Sql.instant(rs, "at")),
                    from.runId(),
                    inboxSeq);
            if (found.isEmpty()) continue;
            Event e = found.get(0);
            InboxWrites.insert(tx, id, inboxSeq, e.name(), e.payload(), e.at());
            events.add(inboxSeq);
            last = Math.max(last, inboxSeq);
        }
        if (last > 0)
            tx.update(
                    RunsSql.SET_INBOX_SEQ, NamedSql.Params.of("inboxSeq", last).and("runId", id));
        rows.appendHistory(tx, id, HistoryEventType.FORKED, run.createdAt(), null, null, data);
        return id;
    }

    /** The original's step as the fork's: same position, name, input, result and record of when it ran. */
    private static StepRecord copyFor(String runId, StepRecord s) {
        return new StepRecord(
                runId,
                s.seq(),
                s.name(),
                s.kind(),
                s.status(),
                s.input(),
                s.output(),
                s.error(),
                s.attempts(),
                s.startedAt(),
                s.completedAt(),
                0,
                s.type(),
                s.usage());
    }
}
