package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creating many runs in one transaction, each as {@link RunRows#create} creates one (quota, idempotency key, history,
 * webhook delivery). A run whose idempotency key is already taken (before the batch, or by an earlier run of it) is
 * shown to a {@link KeyTaken} check, which refuses a different request by throwing: the transaction rolls back and none
 * of the runs is created.
 */
public final class NewRuns {
    private static final String READ_REQUEST = "SELECT name, input FROM runs WHERE id = ?";

    private NewRuns() {}

    /**
     * What a batch does with a run whose idempotency key already names run {@code runId}, of {@code name} with
     * {@code inputJson}: returns if that is the same request, else throws (rolling back the batch).
     */
    @FunctionalInterface
    public interface KeyTaken {
        void check(int index, String runId, String name, String inputJson);
    }

    /** Creates every run in order; returns, for each, its id or that of the run holding its idempotency key. */
    static List<String> createAll(Tx tx, RunRows rows, List<NewRun> runs, KeyTaken check) throws SQLException {
        List<String> ids = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            NewRun run = runs.get(i);
            String id = rows.create(tx, run);
            if (!id.equals(run.id())) {
                record Request(String name, String input) {}
                Request held = tx.query(READ_REQUEST, rs -> new Request(rs.getString(1), rs.getString(2)), id)
                        .get(0);
                check.check(i, id, held.name(), held.input());
            }
            ids.add(id);
        }
        return ids;
    }
}
