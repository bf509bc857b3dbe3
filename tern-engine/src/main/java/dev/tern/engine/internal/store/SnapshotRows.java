package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's release snapshots (its execution profile and run policy) stored once per distinct text: every run of a
 * definition's revision carries the same two texts, some 300-500 of a run row's 700 bytes, written again with every run
 * and rewritten with every update of its row. The row holds the text's reference ({@link SnapshotTexts#stored}; a
 * policy that names one run, by its idempotency key or deadline, stays whole in the run's row) and
 * {@code run_snapshots} the text, inserted by a write queued just ahead of the first creation that needs it on the same
 * writer lane, so it commits with that creation or before it. Reads resolve a reference through {@link RunColumns}.
 * Snapshot rows are never deleted: few, small, and shared by runs of any age.
 */
final class SnapshotRows {
    static final String INSERT = "INSERT INTO run_snapshots (id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING";
    static final String SELECT = "SELECT body FROM run_snapshots WHERE id = ?";

    /** References this store has committed (or found committed): their creations need no write of their own. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    /**
     * References remembered before the set starts over (a forgotten one costs a write that inserts nothing): far more
     * than the definitions, revisions and option sets a server schedules.
     */
    private static final int REMEMBERED = 4_096;

    /**
     * Inserts, in {@code tx}, the rows of {@code release}'s snapshots that it stores by reference, unless there: for a
     * run created inside another write (continue-as-new), whose snapshots were read from a row that may hold them
     * whole.
     */
    static void insert(Tx tx, dev.tern.engine.RunRelease release) throws java.sql.SQLException {
        for (JsonNode tree : new JsonNode[] {release.executionProfile(), release.runPolicy()}) {
            String ref = SnapshotTexts.ref(tree);
            if (ref != null) tx.update(INSERT, ref, SnapshotTexts.of(tree));
        }
    }

    /**
     * Queues on {@code writer}, ahead of {@code run}'s creation, the snapshot rows it needs that are not stored yet.
     */
    void queueMissing(GroupCommitWriter writer, NewRun run) {
        queueMissing(writer, List.of(run));
    }

    /** {@link #queueMissing(GroupCommitWriter, NewRun)} for several runs created together. */
    void queueMissing(GroupCommitWriter writer, List<NewRun> runs) {
        Map<String, String> missing = null;
        for (NewRun run : runs) {
            for (JsonNode tree : new JsonNode[] {
                run.release().executionProfile(), run.release().runPolicy()
            }) {
                String ref = SnapshotTexts.ref(tree);
                if (ref == null || stored.contains(ref)) continue;
                if (missing == null) missing = new LinkedHashMap<>();
                missing.put(ref, SnapshotTexts.of(tree));
            }
        }
        if (missing == null) return;
        Map<String, String> rows = missing;
        writer.submit(tx -> {
                    for (Map.Entry<String, String> row : rows.entrySet())
                        tx.update(INSERT, row.getKey(), row.getValue());
                    return null;
                })
                .thenRun(() -> {
                    if (stored.size() >= REMEMBERED) stored.clear();
                    stored.addAll(rows.keySet());
                });
    }
}
