package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL backends this node's writer lanes write through, one per lane, each noted as its lane connects (a lane
 * that reconnects replaces its own). A notification such a backend sent is this node's own: for one run (an event, a
 * cancel) the node told itself already as the write committed ({@link RunRows#notify}, {@link RunRows#woken}), so its
 * echo from the database would only wake the run a second time (another look at the store) or, for a run that meanwhile
 * ended here, wake the dispatcher for a claim and a due-run query with nothing to find.
 */
final class WriterBackends {
    private final AtomicIntegerArray pids;

    WriterBackends(int lanes) {
        this.pids = new AtomicIntegerArray(lanes);
    }

    /** Notes {@code connection}, just opened for writer lane {@code lane}, as that lane's backend; returns it. */
    Connection track(int lane, Connection connection) throws SQLException {
        pids.set(lane, connection.unwrap(PGConnection.class).getBackendPID());
        return connection;
    }

    /** Whether backend {@code pid} is one of this node's writer lanes'. */
    boolean includes(int pid) {
        for (int i = 0; i < pids.length(); i++) if (pids.get(i) == pid) return true;
        return false;
    }
}
