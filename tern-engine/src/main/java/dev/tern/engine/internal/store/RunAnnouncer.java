package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells other nodes that a run's history grew or that it ended, for whoever waits on it there (a stream, a long poll).
 * This node's own waiters learn it from the writer and the executions; other nodes' only through the database, and only
 * when one of them waits on some run at all: a notification per commit that nobody waits for costs the database and
 * every listening node more than the write. Waiters re-read the store every second, so a word not sent costs latency,
 * never an event.
 */
interface RunAnnouncer {
    /** One process owns the store (SQLite): nobody else to tell. */
    RunAnnouncer NONE = new RunAnnouncer() {
        @Override
        public void announce(Tx tx, Set<String> runIds) {}

        @Override
        public boolean watchedElsewhere() {
            return false;
        }

        @Override
        public void watching() {}

        @Override
        public boolean heard(String payload) {
            return false;
        }
    };

    /** Inside the writer's commit that grew these runs' histories: tells the nodes that wait on any run. */
    void announce(Tx tx, Set<String> runIds) throws SQLException;

    /** Whether another node waits on some run now: a run's end is then announced with it. */
    boolean watchedElsewhere();

    /** A waiter on this node looks at a run (its history, its end): other nodes are to announce (call it often). */
    void watching();

    /** Takes a notification that is this announcer's business (another node watching); false for any other. */
    boolean heard(String payload);
}
