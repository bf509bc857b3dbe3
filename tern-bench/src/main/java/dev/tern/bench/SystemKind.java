package dev.tern.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The systems the bench compares, by command-line id. A peer names the Tern system it is compared with (same store
 * where it has one): DBOS with Tern on PostgreSQL, Temporal's in-memory server with Tern on durable SQLite. An observed
 * variant is Tern with real metrics and tracing ({@link ObservedTelemetry}), compared with the same Tern without them
 * (its {@link #plain()} system, which runs with {@code Observability.none()}); it runs only when named.
 */
enum SystemKind {
    TERN_SQLITE("tern-sqlite", "Tern, SQLite", Store.SQLITE, null, null),
    TERN_PG("tern-pg", "Tern, PostgreSQL", Store.POSTGRES, null, null),
    TERN_PG_REST("tern-pg-rest", "Tern, PostgreSQL, REST", Store.POSTGRES, null, null),
    TERN_PG_REST_WAIT("tern-pg-rest-wait", "Tern, PostgreSQL, REST, one request", Store.POSTGRES, null, null),
    TERN_SQLITE_OBSERVED("tern-sqlite-observed", "Tern, SQLite, observed", Store.SQLITE, null, TERN_SQLITE),
    TERN_PG_OBSERVED("tern-pg-observed", "Tern, PostgreSQL, observed", Store.POSTGRES, null, TERN_PG),
    DBOS("dbos", "DBOS Transact, PostgreSQL", Store.POSTGRES, TERN_PG, null),
    TEMPORAL("temporal", "Temporal, in-memory test server", Store.NONE, TERN_SQLITE, null);

    /** Where a system keeps its state. */
    enum Store {
        SQLITE,
        POSTGRES,
        NONE
    }

    private final String id;
    private final String label;
    private final Store store;
    private final SystemKind comparedWith;
    private final SystemKind plain;

    SystemKind(String id, String label, Store store, SystemKind comparedWith, SystemKind plain) {
        this.id = id;
        this.label = label;
        this.store = store;
        this.comparedWith = comparedWith;
        this.plain = plain;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    Store store() {
        return store;
    }

    boolean tern() {
        return comparedWith == null;
    }

    /** Tern driven over HTTP (the waiting workloads, which schedule and never wait, run in-process only). */
    boolean rest() {
        return this == TERN_PG_REST || this == TERN_PG_REST_WAIT;
    }

    /** For a peer, the Tern system its ratios are taken against; null for Tern itself. */
    SystemKind comparedWith() {
        return comparedWith;
    }

    /** For an observed variant, the same Tern without metrics and traces; null otherwise. */
    SystemKind plain() {
        return plain;
    }

    /** The systems run when none are named: all but the observed variants. */
    static List<SystemKind> defaults() {
        return Arrays.stream(values()).filter(k -> k.plain == null).toList();
    }

    static SystemKind byId(String id) {
        for (SystemKind k : values()) {
            if (k.id.equals(id)) return k;
        }
        return null;
    }

    static String allIds() {
        return Arrays.stream(values()).map(SystemKind::id).collect(Collectors.joining(","));
    }
}
