package dev.tern.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The systems the bench compares, by command-line id. A peer names the Tern system it is compared with (same store
 * where it has one): DBOS with Tern on PostgreSQL, Temporal's in-memory server with Tern on durable SQLite.
 */
enum SystemKind {
    TERN_SQLITE("tern-sqlite", "Tern, SQLite", Store.SQLITE, null),
    TERN_PG("tern-pg", "Tern, PostgreSQL", Store.POSTGRES, null),
    TERN_PG_REST("tern-pg-rest", "Tern, PostgreSQL, REST", Store.POSTGRES, null),
    DBOS("dbos", "DBOS Transact, PostgreSQL", Store.POSTGRES, TERN_PG),
    TEMPORAL("temporal", "Temporal, in-memory test server", Store.NONE, TERN_SQLITE);

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

    SystemKind(String id, String label, Store store, SystemKind comparedWith) {
        this.id = id;
        this.label = label;
        this.store = store;
        this.comparedWith = comparedWith;
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

    /** For a peer, the Tern system its ratios are taken against; null for Tern itself. */
    SystemKind comparedWith() {
        return comparedWith;
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
