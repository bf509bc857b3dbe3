package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.RunLinks;
import dev.tern.engine.RunStatus;
import dev.tern.engine.RunWait;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A run's row as the store reads it: which columns, in which order, and the run they make. */
final class RunColumns {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunColumns.class);

    private RunColumns() {}

    /**
     * The columns {@link #read} reads, in its order: queries of whole runs select these rather than {@code *} and the
     * row is read by position. Reading by name costs a search of the row's column names per value (SQLite's driver
     * compares each name case-insensitively, one after another), about forty of them per run read; a run is read at
     * every wait for its end.
     */
    static final String LIST = "id, kind, name, status, input, output, error, created_at, started_at,"
            + " completed_at, updated_at, attempt, owner, suspended, wake_at, cancel_requested, last_event_seq,"
            + " deadline_at, idempotency_key, webhook_url, parent_id, thread_id, continued_from, agent_id,"
            + " trace_parent, forked_from, forked_step, waiting_on, waiting_since, blocking_interaction, budget,"
            + " model_choice, org_id, revision, release_channel, execution_profile, run_policy, version";

    /**
     * {@link #LIST} of {@code relation}, a one-row relation of a statement with those columns, as one text array: for
     * the {@code RETURNING} of a statement whose top level writes another table, which may return only that table's
     * columns and subqueries. One subquery, evaluated once per statement; a subquery per column cost about 25 µs more
     * per statement on this machine's PostgreSQL ({@link #readArray} reads it).
     */
    static String arrayFrom(String relation) {
        StringBuilder columns = new StringBuilder();
        for (String column : LIST.split(",")) {
            if (!columns.isEmpty()) columns.append(", ");
            columns.append(column.strip()).append("::text");
        }
        return "(SELECT ARRAY[" + columns + "] FROM " + relation + ")";
    }

    /** A run from the text array of {@link #arrayFrom} in column {@code column} of the row. */
    static StoredRun readArray(ResultSet rs, int column) throws SQLException {
        return read(new Columns((String[]) rs.getArray(column).getArray(), rs));
    }

    /** A run from a row of {@link #LIST}, read column by column in that order. */
    static StoredRun read(ResultSet rs) throws SQLException {
        return read(rs, 1);
    }

    /** A run from a row whose columns from {@code first} on are {@link #LIST}. */
    static StoredRun read(ResultSet rs, int first) throws SQLException {
        return read(new Columns(rs, first));
    }

    private static StoredRun read(Columns c) throws SQLException {
        String id = c.string();
        String kind = c.string();
        String name = c.string();
        RunStatus status = RunStatus.fromWire(c.string()).orElseThrow();
        JsonNode input = Json.parse(c.string());
        JsonNode output = Json.parse(c.string());
        ErrorInfo error = Json.read(c.string(), ErrorInfo.class);
        Instant createdAt = c.instant();
        Instant startedAt = c.instant();
        Instant completedAt = c.instant();
        Instant updatedAt = c.instant();
        int attempt = c.integer();
        String owner = c.string();
        boolean suspended = c.longValue() != 0;
        Instant wakeAt = c.instant();
        boolean cancelRequested = c.longValue() != 0;
        long lastEventSeq = c.longValue();
        Instant deadlineAt = c.instant();
        String idempotencyKey = c.string();
        String webhookUrl = c.string();
        String parentId = c.string();
        String threadId = c.string();
        String continuedFrom = c.string();
        String agentId = c.string();
        String traceParent = c.string();
        String forkedFrom = c.string();
        int forkedStep = c.integer();
        RunWait waiting = new RunWait(c.string(), c.instant(), c.string());
        var budget = Json.read(c.string(), dev.tern.sdk.Budget.class);
        var modelChoice = Json.read(c.string(), dev.tern.sdk.ModelChoice.class);
        String orgId = c.string();
        var release = new dev.tern.engine.RunRelease(c.string(), c.string(), snapshotAt(c), snapshotAt(c));
        long version = c.longValue();
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
                completedAt,
                updatedAt,
                attempt,
                owner,
                suspended,
                wakeAt,
                cancelRequested,
                lastEventSeq,
                deadlineAt,
                idempotencyKey,
                webhookUrl,
                new RunLinks(
                        parentId,
                        threadId,
                        continuedFrom,
                        agentId,
                        traceParent,
                        forkedFrom == null ? null : new dev.tern.engine.ForkedFrom(forkedFrom, forkedStep)),
                waiting,
                budget,
                modelChoice,
                orgId,
                release,
                version);
    }

    /**
     * A run's execution profile or run policy as a tree. Each is the same text for every run of a definition's revision
     * and options, and parsing it was a tenth of a run read's CPU: each distinct text is parsed once and its tree
     * shared by every run read with it. Shared, so never modified: whoever derives one from it copies it first
     * ({@link dev.tern.engine.RunRelease#forChild}). At most {@value #SNAPSHOTS_KEPT} texts are kept; past that the
     * cache starts over.
     */
    static JsonNode snapshot(String text) {
        if (text == null) return null;
        JsonNode tree = SNAPSHOTS.get(text);
        if (tree != null) return tree;
        tree = Json.parse(text);
        if (SNAPSHOTS.size() >= SNAPSHOTS_KEPT) SNAPSHOTS.clear();
        SNAPSHOTS.put(text, tree);
        return tree;
    }

    /** The snapshot in {@code column} of a row of {@code rs}: as {@link #read} reads it, from its text or reference. */
    static JsonNode snapshot(ResultSet rs, int column) throws SQLException {
        return snapshotAt(new Columns(rs, column));
    }

    /**
     * The snapshot in the next column: its text (a row written before snapshots were stored once), or the reference of
     * a text in {@code run_snapshots} ({@link SnapshotRows}), read from there the first time this process meets it.
     */
    private static JsonNode snapshotAt(Columns c) throws SQLException {
        String value = c.string();
        if (!SnapshotTexts.isRef(value)) return snapshot(value);
        JsonNode tree = BY_REF.get(value);
        if (tree != null) return tree;
        String text = c.snapshotText(value);
        if (text == null) {
            // its write failed while the run's creation committed: the run reads as one from before snapshots
            log.warn("run snapshot {} is missing from run_snapshots; read as none", value);
            return null;
        }
        tree = snapshot(text);
        if (BY_REF.size() >= SNAPSHOTS_KEPT) BY_REF.clear();
        BY_REF.put(value, tree);
        return tree;
    }

    /** Trees by reference: a reference names one text for good, so any store's reads may share them. */
    private static final java.util.Map<String, JsonNode> BY_REF = new java.util.concurrent.ConcurrentHashMap<>();

    private static final int SNAPSHOTS_KEPT = 512;
    private static final java.util.Map<String, JsonNode> SNAPSHOTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Reads a row's columns one after another, from the first: from the row itself, or from its values as texts. */
    private static final class Columns {
        private final ResultSet rs;
        private final String[] texts;
        /** Where the row came from: a snapshot's text is read on its connection ({@link #snapshotText}). */
        private final ResultSet source;

        private int next;

        Columns(ResultSet rs, int first) {
            this.rs = rs;
            this.source = rs;
            this.texts = null;
            this.next = first;
        }

        Columns(String[] texts, ResultSet source) {
            this.rs = null;
            this.texts = texts;
            this.source = source;
        }

        /** The text of snapshot {@code ref}, read on the connection this row came from; null if there is none. */
        String snapshotText(String ref) throws SQLException {
            java.sql.Connection connection =
                    (rs != null ? rs : source).getStatement().getConnection();
            try (java.sql.PreparedStatement ps = connection.prepareStatement(SnapshotRows.SELECT)) {
                ps.setString(1, ref);
                try (ResultSet found = ps.executeQuery()) {
                    return found.next() ? found.getString(1) : null;
                }
            }
        }

        String string() throws SQLException {
            return texts != null ? texts[next++] : rs.getString(next++);
        }

        /** An integer column; 0 when null, as JDBC reads it. */
        int integer() throws SQLException {
            if (rs != null) return rs.getInt(next++);
            String text = texts[next++];
            return text == null ? 0 : Integer.parseInt(text);
        }

        /** A bigint column; 0 when null, as JDBC reads it. */
        long longValue() throws SQLException {
            if (rs != null) return rs.getLong(next++);
            String text = texts[next++];
            return text == null ? 0 : Long.parseLong(text);
        }

        Instant instant() throws SQLException {
            if (texts != null) {
                String text = texts[next++];
                return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
            }
            long millis = rs.getLong(next++);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    }
}
