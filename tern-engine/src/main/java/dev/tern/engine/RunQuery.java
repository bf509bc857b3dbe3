package dev.tern.engine;

/** A filter and page over runs, newest first. Null filters match everything. */
public record RunQuery(
        RunKind kind,
        String name,
        RunStatus status,
        int limit,
        String cursor,
        String threadId,
        String parentId,
        String orgId,
        String revision) {
    public static final int MAX_LIMIT = 500;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT)
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }

    public RunQuery(
            RunKind kind, String name, RunStatus status, int limit, String cursor, String threadId, String parentId) {
        this(kind, name, status, limit, cursor, threadId, parentId, null, null);
    }

    public RunQuery(
            RunKind kind,
            String name,
            RunStatus status,
            int limit,
            String cursor,
            String threadId,
            String parentId,
            String orgId) {
        this(kind, name, status, limit, cursor, threadId, parentId, orgId, null);
    }

    public RunQuery(RunKind kind, String name, RunStatus status, int limit, String cursor) {
        this(kind, name, status, limit, cursor, null, null, null, null);
    }

    public RunQuery withThread(String value) {
        return new RunQuery(kind, name, status, limit, cursor, value, parentId, orgId, revision);
    }

    public RunQuery withParent(String value) {
        return new RunQuery(kind, name, status, limit, cursor, threadId, value, orgId, revision);
    }

    /** Only runs of the organisation {@code value} (null: every organisation's). */
    public RunQuery withOrg(String value) {
        return new RunQuery(kind, name, status, limit, cursor, threadId, parentId, value, revision);
    }

    /** Only runs pinned to the revision {@code value} (null: any). */
    public RunQuery withRevision(String value) {
        return new RunQuery(kind, name, status, limit, cursor, threadId, parentId, orgId, value);
    }
}
