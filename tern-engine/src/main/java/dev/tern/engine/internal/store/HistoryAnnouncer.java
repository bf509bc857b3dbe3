package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells other nodes whose streams watch a run that its history grew. This node's own streams learn it from the writer
 * after each commit; other nodes' only through the database, and only when one of them streams a history at all: a
 * notification per commit that nobody waits for costs the database and every listening node more than the write.
 */
interface HistoryAnnouncer {
    /** One process owns the store (SQLite): nobody else to tell. */
    HistoryAnnouncer NONE = new HistoryAnnouncer() {
        @Override
        public void announce(Tx tx, Set<String> runIds) {}

        @Override
        public void watching() {}

        @Override
        public boolean heard(String payload) {
            return false;
        }
    };

    /** Inside the writer's commit that grew these runs' histories: tells the nodes that watch any. */
    void announce(Tx tx, Set<String> runIds) throws SQLException;

    /** A stream on this node waits for a run's history to grow: other nodes are to announce theirs (call it often). */
    void watching();

    /** Takes a notification that is this announcer's business (another node watching); false for any other. */
    boolean heard(String payload);
}
