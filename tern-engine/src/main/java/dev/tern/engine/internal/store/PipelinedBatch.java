package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a batch's writes in one transaction, sending {@link Pipelined} statements of one SQL text together: the driver
 * pipelines them (all sent, then all answered), so a batch of fifty runs' checkpoints costs one round trip instead of
 * fifty. On PostgreSQL the writer's connection spent most of its time waiting on round trips, not in statements.
 * Statements that return their run (a run's end) go together in their written form, and the runs they wrote are then
 * read in one query ({@link #sendReturningRuns}); ends whose runs their copies make answer with what a copy lacks, and
 * go together as they are ({@link #sendReturningChanging}).
 *
 * <p>Order: the writes between two that are not pipelined form a stretch, closed early when a run comes back in it;
 * within a stretch every write is one statement on its own run's rows, so grouping them by SQL text changes nothing
 * another write could see. A statement that wrote nothing (a fence refused it, or the write needs more than the
 * statement) is followed at once by the write's own work, which decides. A started run's creation and its first
 * checkpoint in the batch are written as one ({@link FirstCheckpoint}): one statement, or one piece of work; so are, on
 * PostgreSQL, a started run's creation and the run's end right after it ({@link WholeRun}).
 */
final class PipelinedBatch {
    private final Tx tx;
    private final List<? extends Write<?>> writes;
    private final Object[] results;
    private final List<Integer> stretch = new ArrayList<>();
    private final Set<String> stretchRuns = new HashSet<>();
    /** The statement each write sends: its own, or the one it is joined into ({@link FirstCheckpoint}). */
    private final Pipelined<?>[] statements;
    /** The join at a joined creation's position and at its checkpoint's, or null. */
    private final FirstCheckpoint.Joined[] joins;

    private PipelinedBatch(Tx tx, List<? extends Write<?>> writes) {
        this.tx = tx;
        this.writes = writes;
        this.results = new Object[writes.size()];
        this.statements = new Pipelined<?>[writes.size()];
        this.joins = new FirstCheckpoint.Joined[writes.size()];
        int[] partners = FirstCheckpoint.partners(writes);
        for (int i = 0; i < writes.size(); i++) {
            if (statements[i] == null) statements[i] = writes.get(i).pipelined();
            int partner = joins[i] != null ? -1 : partners[i];
            FirstCheckpoint.Joined both = partner < 0 ? null : FirstCheckpoint.join(writes, i, partner);
            if (both == null) continue;
            statements[i] = both.statement();
            statements[partner] = both.statement();
            joins[i] = both;
            joins[partner] = both;
        }
    }

    /**
     * How a batch's writes may commit as one statement in autocommit mode, sparing the {@code COMMIT}'s round trip: a
     * lone {@link Write.Commit#ONE_STATEMENT} write, or a started run's creation and its end joined into
     * {@link WholeRun}'s statement, which answers with the run as it ended. Null if the batch is not one statement. The
     * returned work answers null when the statement wrote nothing; the batch then commits in a transaction, where
     * {@link #apply} does each write on its own.
     */
    static Write.Work<Object[]> alone(List<? extends Write<?>> writes) {
        if (writes.size() == 1 && writes.get(0).commit() == Write.Commit.ONE_STATEMENT)
            return tx -> new Object[] {writes.get(0).apply(tx)};
        if (writes.size() != 2
                || writes.get(1).part() == null
                || !writes.get(1).part().role().ends()) return null;
        if (FirstCheckpoint.partner(writes, 0) != 1) return null;
        FirstCheckpoint.Joined both = FirstCheckpoint.join(writes, 0, 1);
        if (both == null || both.statement() == null || !both.statement().returnsRun()) return null;
        Pipelined<?> whole = both.statement();
        return tx -> {
            Object ended = whole.runAlone(tx);
            return ended == null ? null : new Object[] {writes.get(0).part().runId(), ended};
        };
    }

    /** Applies the writes in {@code tx} in their order (see above); their results, by position. */
    static Object[] apply(Tx tx, List<? extends Write<?>> writes) throws SQLException {
        return new PipelinedBatch(tx, writes).run();
    }

    private Object[] run() throws SQLException {
        for (int i = 0; i < writes.size(); i++) {
            Pipelined<?> statement = statements[i];
            if (joins[i] != null && joins[i].checkpoint() == i)
                continue; // joined into its run's creation: done with it
            if (statement == null) {
                flush();
                if (joins[i] != null) answerJoined(i, joins[i].work().apply(tx) ? 1 : 0, null);
                else results[i] = writes.get(i).apply(tx);
                continue;
            }
            if (!stretchRuns.add(statement.runId())) {
                flush();
                stretchRuns.add(statement.runId());
            }
            stretch.add(i);
        }
        flush();
        return results;
    }

    /** Sends the stretch's statements, one pipeline per SQL text, in the order each text first appears. */
    private void flush() throws SQLException {
        if (stretch.isEmpty()) return;
        Map<String, List<Integer>> bySql = new LinkedHashMap<>();
        for (int i : stretch) {
            bySql.computeIfAbsent(statements[i].sql(), sql -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> group : bySql.entrySet()) {
            List<Integer> members = group.getValue();
            if (members.size() == 1) {
                int only = members.get(0);
                if (joins[only] != null) answerJoinedAlone(only);
                else results[only] = writes.get(only).apply(tx);
                continue;
            }
            List<Object[]> args = new ArrayList<>(members.size());
            for (int i : members) args.add(statements[i].args());
            StoredRun[] returned = null;
            int[] counts;
            if (statements[members.get(0)].returnsChanging()) {
                returned = new StoredRun[members.size()];
                counts = sendReturningChanging(group.getKey(), members, args, returned);
            } else if (statements[members.get(0)].returnsRun()) {
                returned = new StoredRun[members.size()];
                counts = sendReturningRuns(members, args, returned);
            } else {
                counts = tx.updateAll(group.getKey(), args);
            }
            for (int k = 0; k < members.size(); k++) {
                int i = members.get(k);
                if (counts[k] < 0) throw new SQLException("the database did not say whether a statement wrote");
                StoredRun row = returned == null ? null : returned[k];
                if (joins[i] != null) answerJoined(i, counts[k], row);
                else results[i] = writes.get(i).answer(tx, counts[k], row);
            }
        }
        stretch.clear();
        stretchRuns.clear();
    }

    /**
     * Statements of one text that answer {@link EndedCopy#CHANGING}, sent together and answered together (rows of fixed
     * size, which pgjdbc pipelines), each run one of them wrote made from its copy. Fills {@code returned} by position;
     * the statements' update counts.
     */
    private int[] sendReturningChanging(String sql, List<Integer> members, List<Object[]> args, StoredRun[] returned)
            throws SQLException {
        List<EndedCopy.Changing> rows = new ArrayList<>(members.size());
        int[] counts = tx.updateAllReturning(sql, args, rs -> EndedCopy.Changing.read(rs, 1), rows);
        long wrote = Arrays.stream(counts).filter(c -> c == 1).count();
        if (wrote != rows.size() || Arrays.stream(counts).anyMatch(c -> c > 1))
            throw new SQLException("ends that wrote " + wrote + " runs answered " + rows.size() + " rows");
        int row = 0;
        for (int k = 0; k < members.size(); k++) {
            if (counts[k] == 1)
                returned[k] = statements[members.get(k)].run().copy().ended(rows.get(row++));
        }
        return counts;
    }

    /**
     * Statements of one text that return their run, sent together in their written form (one round trip), then the runs
     * that they wrote read in one query on the same transaction, which sees each as its statement left it (no other
     * write of the stretch touches its run): two round trips where the returning form took one each, since pgjdbc sends
     * a statement whose answer it cannot bound in size (any text column) with its own sync. The read is planned each
     * time: a generic plan made while the table was small scans it whole. Fills {@code returned} by position; the
     * statements' update counts.
     */
    private int[] sendReturningRuns(List<Integer> members, List<Object[]> args, StoredRun[] returned)
            throws SQLException {
        int[] counts = tx.updateAll(statements[members.get(0)].run().writtenSql(), args);
        List<String> wrote = new ArrayList<>(members.size());
        for (int k = 0; k < members.size(); k++) {
            if (counts[k] > 1) throw new SQLException("a statement meant to write one row wrote " + counts[k]);
            if (counts[k] == 1) wrote.add(statements[members.get(k)].runId());
        }
        if (wrote.isEmpty()) return counts;
        Map<String, StoredRun> runs = new HashMap<>();
        for (StoredRun run : tx.queryPlannedEachTime(RunReader.byIds(wrote.size()), RunColumns::read, wrote.toArray()))
            runs.put(run.id(), run);
        for (int k = 0; k < members.size(); k++) {
            if (counts[k] != 1) continue;
            returned[k] = runs.get(statements[members.get(k)].runId());
            if (returned[k] == null) throw new SQLException("a run a statement wrote was not found after it");
        }
        return counts;
    }

    /**
     * The results of a creation and the write joined with it, whose joined write answered {@code updateCount} (and
     * {@code returned}, the run it wrote, if it returns its run): both written (the creation's result its run's id, the
     * other's what the joined statement says it wrote: a checkpoint's true, an end's run as it ended), or, if it wrote
     * nothing, each write run on its own in order.
     */
    private void answerJoined(int creation, int updateCount, StoredRun returned) throws SQLException {
        Pipelined<?> joined = statements[creation];
        Object written =
                joined != null ? resultOf(joined, updateCount, returned) : updateCount > 0 ? Boolean.TRUE : null;
        if (written != null) answerBoth(creation, written);
        else answerApart(creation);
    }

    /** {@link #answerJoined} for a joined statement sent by itself. */
    private void answerJoinedAlone(int creation) throws SQLException {
        Object written = statements[creation].runAlone(tx);
        if (written != null) answerBoth(creation, written);
        else answerApart(creation);
    }

    private Object resultOf(Pipelined<?> statement, int updateCount, StoredRun returned) {
        return statement.result(tx, updateCount, returned);
    }

    private void answerBoth(int creation, Object partnerResult) {
        results[creation] = writes.get(creation).part().runId();
        results[joins[creation].checkpoint()] = partnerResult;
    }

    /** Each of the two joined writes on its own, in order: the creation decides, its partner follows. */
    private void answerApart(int creation) throws SQLException {
        results[creation] = writes.get(creation).apply(tx);
        results[joins[creation].checkpoint()] =
                writes.get(joins[creation].checkpoint()).apply(tx);
    }
}
