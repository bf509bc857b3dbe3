package dev.tern.engine.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Revisions and release channels on the run store's database: which node has which revisions loaded (refreshed with its
 * leases), the channels naming the revision new runs start on, and how many unfinished runs each revision has.
 */
public final class ReleaseStore {
    private final GroupCommitWriter writer;
    private final RunReader reader;

    ReleaseStore(GroupCommitWriter writer, RunReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    /** One channel's revision of one definition. */
    public record Channel(String name, String definition, String revision, Instant updatedAt) {}

    /** How many runs of one revision are in one state. */
    public record RevisionCount(String definition, String revision, String status, long count) {}

    /** Records the revisions {@code nodeId} has loaded (replacing what it had), seen at {@code now}. */
    public CompletableFuture<Void> register(String nodeId, Map<String, List<String>> revisions, Instant now) {
        return writer.submit(tx -> {
            tx.update("DELETE FROM node_revisions WHERE node_id = ?", nodeId);
            for (var e : revisions.entrySet()) {
                for (String revision : e.getValue()) {
                    tx.update(
                            "INSERT INTO node_revisions (node_id, definition, revision, seen_at) VALUES (?, ?, ?, ?)",
                            nodeId,
                            e.getKey(),
                            revision,
                            now);
                }
            }
            return null;
        });
    }

    /** Whether some node other than {@code nodeId} with the revision loaded was seen after {@code since}. */
    public boolean liveElsewhere(String nodeId, String definition, String revision, Instant since) {
        return !reader.query(
                        "SELECT 1 FROM node_revisions WHERE definition = ? AND revision = ? AND node_id <> ?"
                                + " AND seen_at > ? LIMIT 1",
                        rs -> 1,
                        definition,
                        revision,
                        nodeId,
                        since)
                .isEmpty();
    }

    /** Points channel {@code name} at {@code revision} of {@code definition}. */
    public CompletableFuture<Void> setChannel(String name, String definition, String revision, Instant now) {
        return writer.submit(tx -> {
            tx.update(
                    "INSERT INTO channels (name, definition, revision, updated_at) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (name, definition) DO UPDATE SET revision = excluded.revision,"
                            + " updated_at = excluded.updated_at",
                    name,
                    definition,
                    revision,
                    now);
            return null;
        });
    }

    /** Every channel entry, by channel then definition. */
    public List<Channel> channels() {
        return reader.query(
                "SELECT name, definition, revision, updated_at FROM channels ORDER BY name, definition",
                rs -> new Channel(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "updated_at")));
    }

    /** Unfinished runs per definition, revision and stored status (queued or running). */
    public List<RevisionCount> unfinishedByRevision() {
        return reader.query(
                "SELECT name, revision, status, COUNT(*) FROM runs WHERE revision IS NOT NULL"
                        + " AND status IN ('queued', 'running') GROUP BY name, revision, status"
                        + " ORDER BY name, revision, status",
                rs -> new RevisionCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
    }
}
