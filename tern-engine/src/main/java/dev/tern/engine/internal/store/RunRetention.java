package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes finished runs that finished before a cutoff, oldest first (by organisation and status), with every row that
 * refers to them: steps, history, inbox, attempts and their resumptions, questions to humans, webhook deliveries and
 * their attempts. A run whose parent is unfinished is kept (the parent may still read it), and so is a run whose
 * webhook is still being told (a delivery being sent must find its row). One call deletes at most {@code limit} runs in
 * the writer's transaction, {@link #CHUNK} at a time per statement (a fixed list of parameters, so each statement is
 * prepared once).
 */
final class RunRetention {
    /** Runs named per statement; a shorter last chunk repeats its first id. */
    static final int CHUNK = 50;

    /**
     * An organisation's runs of one finished status that finished before a cutoff, oldest first by creation: found in
     * {@code runs_finished_created} (a run that finished before the cutoff was created before it too), the index's
     * terms repeated for SQLite.
     */
    static final String DUE = """
        SELECT r.id FROM runs r
        WHERE r.org_id = ? AND r.status = ? AND r.status IN ('completed', 'failed', 'cancelled') AND r.created_at < ?
          AND r.completed_at < ?
          AND (r.parent_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM runs p WHERE p.id = r.parent_id AND p.status IN ('queued', 'running')))
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.run_id = r.id AND w.state = 'pending')
        ORDER BY r.created_at LIMIT ?""";

    private static final List<String> FINISHED = List.of("completed", "failed", "cancelled");

    /** What refers to a run, before the run itself; {@code %s} is the list of run ids. */
    private static final List<String> DELETES = List.of(
            """
            DELETE FROM webhook_attempts
            WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE run_id IN (%s))""",
            "DELETE FROM webhook_deliveries WHERE run_id IN (%s)",
            "DELETE FROM interactions WHERE run_id IN (%s)",
            "DELETE FROM attempt_resumes WHERE run_id IN (%s)",
            "DELETE FROM attempts WHERE run_id IN (%s)",
            "DELETE FROM inbox WHERE run_id IN (%s)",
            "DELETE FROM history WHERE run_id IN (%s)",
            "DELETE FROM steps WHERE run_id IN (%s)",
            "DELETE FROM runs WHERE id IN (%s)");

    private static final List<String> CHUNKED =
            DELETES.stream().map(sql -> sql.formatted(Sql.placeholders(CHUNK))).toList();

    private RunRetention() {}

    /** Deletes up to {@code limit} runs finished before {@code cutoff}; returns how many. */
    static int deleteFinished(Tx tx, Instant cutoff, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (String org : tx.query(RunListing.ORGS, rs -> rs.getString(1))) {
            if (ids.size() >= limit) break;
            for (String status : FINISHED) {
                if (ids.size() >= limit) break;
                ids.addAll(tx.queryPlannedEachTime(
                        DUE, rs -> rs.getString(1), org, status, cutoff, cutoff, limit - ids.size()));
            }
        }
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
            while (chunk.size() < CHUNK) chunk.add(chunk.get(0));
            Object[] args = chunk.toArray();
            for (String sql : CHUNKED) tx.update(sql, args);
        }
        return ids.size();
    }
}
