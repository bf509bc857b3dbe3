package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Creating many runs in one transaction, each as {@link RunRows#create} creates one (quota, idempotency key, history,
 * webhook delivery). A run whose idempotency key is already taken (before the batch, or by an earlier run of it) is
 * shown to a {@link KeyTaken} check, which refuses a different request by throwing: the transaction rolls back and none
 * of the runs is created.
 *
 * <p>Where the database offers each run's insert as one statement ({@link RunWrites#batchedInsert}), consecutive runs
 * whose statements share a text are sent together ({@link Tx#updateAll}), in order, so a later run still finds a key an
 * earlier one took: one round trip for them all instead of one per run.
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
        return new Creation(tx, rows, runs, check).run();
    }

    private static final class Creation {
        private final Tx tx;
        private final RunRows rows;
        private final List<NewRun> runs;
        private final KeyTaken check;
        private final String[] ids;
        /** Runs waiting to be sent together: their positions and statements, all of one text. */
        private final List<Integer> stretch = new ArrayList<>();

        private final List<Pipelined<String>> statements = new ArrayList<>();
        /** A queued run was inserted without its notice to other nodes: the batch sends one. */
        private String queuedUnannounced;

        Creation(Tx tx, RunRows rows, List<NewRun> runs, KeyTaken check) {
            this.tx = tx;
            this.rows = rows;
            this.runs = runs;
            this.check = check;
            this.ids = new String[runs.size()];
        }

        List<String> run() throws SQLException {
            for (int i = 0; i < runs.size(); i++) {
                NewRun run = runs.get(i);
                var created = RunRows.createdEvent(run);
                Pipelined<String> insert = rows.runs().batchedInsert(run, created);
                if (insert == null) {
                    send();
                    created(i, rows.create(tx, run, created));
                    continue;
                }
                if (!statements.isEmpty() && !statements.get(0).sql().equals(insert.sql())) send();
                stretch.add(i);
                statements.add(insert);
            }
            send();
            if (queuedUnannounced != null) rows.runs().notify(tx, Signal.Kind.WORK, queuedUnannounced);
            return Arrays.asList(ids);
        }

        /** Sends the stretch's statements together; a run that inserted nothing found its key taken. */
        private void send() throws SQLException {
            if (stretch.isEmpty()) return;
            List<Object[]> args = new ArrayList<>(statements.size());
            for (Pipelined<String> statement : statements) args.add(statement.args());
            int[] counts = tx.updateAll(statements.get(0).sql(), args);
            for (int k = 0; k < stretch.size(); k++) {
                int i = stretch.get(k);
                NewRun run = runs.get(i);
                if (counts[k] < 0) throw new SQLException("the database did not say whether a run was inserted");
                if (statements.get(k).wrote(tx, counts[k])) {
                    if (run.owner() == null) queuedUnannounced = run.id();
                    created(i, run.id());
                } else {
                    created(i, RunRows.keyHolder(tx, run));
                }
            }
            stretch.clear();
            statements.clear();
        }

        /** Run {@code i} is {@code id}: itself, or the run holding its key, which must have been the same request. */
        private void created(int i, String id) throws SQLException {
            ids[i] = id;
            if (id.equals(runs.get(i).id())) return;
            record Request(String name, String input) {}
            Request held = tx.query(READ_REQUEST, rs -> new Request(rs.getString(1), rs.getString(2)), id)
                    .get(0);
            check.check(i, id, held.name(), held.input());
        }
    }
}
