package dev.tern.engine.internal.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's creation and its first step checkpoint written as one, when both are in the same batch: a run that starts
 * while its creation commits ({@link NewRun#executingBeforeDurable()}) usually checkpoints its first step before the
 * writer takes the creation. The run's row is then inserted with the checkpoint's event numbers already taken, and the
 * events of both go in together: on PostgreSQL one statement instead of two (the statement, not its rows, is what
 * costs: each parses, binds, starts its executor and, for the checkpoint, updates the run's row once more); on SQLite
 * four statements instead of six, and one write fewer for the single writer to apply.
 *
 * <p>Joined only when nothing else of the run comes between them in the batch (every write between is said to change
 * another run's rows only, {@link Write#runId()}), so the run's writes keep their order; the checkpoint is then written
 * at the creation's place, before other runs' writes it followed, which touch none of its rows. If the joined write
 * writes nothing, each write runs on its own, as it would have.
 */
final class FirstCheckpoint {
    private FirstCheckpoint() {}

    /** What a write is in a join. */
    enum Role {
        /** A started run's creation (its result the run's id). */
        CREATION,
        /** A step checkpoint that changes nothing the run waits on (its result {@code true}). */
        CHECKPOINT,
        /** The end of a run that wakes nobody, without a step to write ({@link WholeRun}; PostgreSQL). */
        END,
        /** The same, writing the run's last step's row. */
        END_AFTER_STEP;

        boolean ends() {
            return this == END || this == END_AFTER_STEP;
        }
    }

    /**
     * A write's part in a join: what it is, with its named values (made when a join needs them: most writes are never
     * joined) and its event count.
     */
    record Part(String runId, Role role, java.util.function.Supplier<NamedSql.Params> values, int events) {
        Part(String runId, Role role, NamedSql.Params params, int events) {
            this(runId, role, () -> params, events);
        }

        NamedSql.Params params() {
            return values.get();
        }

        boolean creation() {
            return role == Role.CREATION;
        }
    }

    /**
     * A joined creation and checkpoint (or end), by their positions in the batch: sent as {@code statement} where both
     * are pipelined statements (PostgreSQL), else done by {@code work} (SQLite), which says whether it wrote.
     */
    record Joined(Pipelined<?> statement, Write.Work<Boolean> work, int creation, int checkpoint) {}

    /**
     * The position of the write that joins the creation at {@code at} in {@code writes}, or -1: the next write of the
     * same run, if it is a first checkpoint and every write before it since the creation changes another run, or the
     * run's end right after the creation.
     */
    static int partner(List<? extends Write<?>> writes, int at) {
        Part creation = writes.get(at).part();
        if (creation == null || !creation.creation()) return -1;
        for (int j = at + 1; j < writes.size(); j++) {
            String run = writes.get(j).runId();
            if (run == null) return -1;
            if (run.equals(creation.runId())) return joining(writes, at, j);
        }
        return -1;
    }

    /**
     * {@link #partner} of every write in {@code writes}, by position, in one pass from the last write to the first:
     * each creation's next write of its run is looked up, not searched for. Searching onward from each creation took
     * time in the square of the batch, on the thread that commits every write: 4.0 ms for 1,000 runs' creations
     * followed by their first checkpoints, 0.1 ms this way (37 and 13 µs for 100 runs, 0.2 and 0.4 µs for 5).
     */
    static int[] partners(List<? extends Write<?>> writes) {
        int[] partners = new int[writes.size()];
        Map<String, Integer> nextOfRun = HashMap.newHashMap(writes.size());
        int nextOfNoRun = Integer.MAX_VALUE; // the first later write said to change no one run, or none
        for (int at = writes.size() - 1; at >= 0; at--) {
            Write<?> write = writes.get(at);
            Part creation = write.part();
            Integer next = creation == null || !creation.creation() ? null : nextOfRun.get(creation.runId());
            partners[at] = next == null || nextOfNoRun < next ? -1 : joining(writes, at, next);
            String run = write.runId();
            if (run == null) nextOfNoRun = at;
            else nextOfRun.put(run, at);
        }
        return partners;
    }

    /**
     * {@code next}, the next write of the run created at {@code creation}, if it joins the creation: a checkpoint, or
     * the run's end right after it (nothing between: no child's creation before the end); else -1.
     */
    private static int joining(List<? extends Write<?>> writes, int creation, int next) {
        Part part = writes.get(next).part();
        if (part == null) return -1;
        if (part.role() == Role.CHECKPOINT) return next;
        return part.role().ends() && next == creation + 1 ? next : -1;
    }

    /** The two joined, or null if their values disagree on a name they share (or one is a statement, one not). */
    static Joined join(List<? extends Write<?>> writes, int creation, int checkpoint) {
        Write<?> c = writes.get(creation);
        Part k = writes.get(checkpoint).part();
        NamedSql.Params both;
        try {
            NamedSql.Params creationValues = c.part().params();
            NamedSql.Params checkpointValues = k.params();
            both = NamedSql.Params.sized(creationValues.size() + checkpointValues.size())
                    .andAll(creationValues)
                    .andAll(checkpointValues);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean statements = c.pipelined() != null;
        if (statements != (writes.get(checkpoint).pipelined() != null)) return null;
        if (k.role().ends()) {
            return statements
                    ? new Joined(
                            WholeRun.statement(c.runId(), both, k.events(), k.role() == Role.END_AFTER_STEP),
                            null,
                            creation,
                            checkpoint)
                    : null;
        }
        if (!statements) {
            return new Joined(
                    null,
                    tx -> SqliteRunWrites.insertWithCheckpoint(tx, k.runId(), both, k.events()),
                    creation,
                    checkpoint);
        }
        NamedSql sql = RunsSql.Postgres.INSERT_OWNED_WITH_CHECKPOINT.forEvents(k.events(), both);
        return new Joined(Pipelined.of(c.runId(), sql, both, true), null, creation, checkpoint);
    }
}
