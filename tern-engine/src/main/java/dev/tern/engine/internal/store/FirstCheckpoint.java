package dev.tern.engine.internal.store;

import java.util.List;

/**
 * A run's creation and its first step checkpoint in one statement, when both are in the same batch: a run that starts
 * while its creation commits ({@link NewRun#executingBeforeDurable()}) usually checkpoints its first step before the
 * writer takes the creation, and two statements cost PostgreSQL about twice what one does (the statement, not its rows,
 * is what costs: each parses, binds, starts its executor and, for the checkpoint, updates the run's row once more).
 *
 * <p>Joined only when nothing else of the run comes between them in the batch (every write between is a pipelined
 * statement of another run), so the run's writes keep their order; the checkpoint is then written at the creation's
 * place, before other runs' statements it followed, which touch none of its rows. If the joined statement writes
 * nothing, each write runs on its own, as it would have.
 */
final class FirstCheckpoint {
    private FirstCheckpoint() {}

    /**
     * A statement's part in a join: a started run's creation, or a step checkpoint that changes nothing the run waits
     * on, with its named values and its event count.
     */
    record Part(boolean creation, NamedSql.Params params, int events) {}

    /** Joined statements of a batch, by the creation's position; the checkpoint's position holds the same statement. */
    record Joined(Pipelined<Boolean> statement, int creation, int checkpoint) {}

    /**
     * The position of the checkpoint that joins the creation at {@code at} in {@code writes}, or -1: the next write of
     * the same run, if it is a first checkpoint and every write before it since the creation is another run's pipelined
     * statement.
     */
    static int partner(List<? extends Write<?>> writes, int at) {
        Pipelined<?> creation = writes.get(at).pipelined();
        if (creation == null || creation.part() == null || !creation.part().creation()) return -1;
        for (int j = at + 1; j < writes.size(); j++) {
            Pipelined<?> next = writes.get(j).pipelined();
            if (next == null) return -1;
            if (!next.runId().equals(creation.runId())) continue;
            return next.part() != null && !next.part().creation() ? j : -1;
        }
        return -1;
    }

    /**
     * The one statement doing both, or null if their values disagree on a name they share; its update count is 1 when
     * the run was inserted (and so the step written).
     */
    static Joined join(List<? extends Write<?>> writes, int creation, int checkpoint) {
        Pipelined<?> c = writes.get(creation).pipelined();
        Pipelined<?> k = writes.get(checkpoint).pipelined();
        NamedSql.Params both;
        try {
            both = new NamedSql.Params()
                    .andAll(c.part().params())
                    .andAll(k.part().params());
        } catch (IllegalArgumentException e) {
            return null;
        }
        NamedSql sql =
                RunsSql.Postgres.INSERT_OWNED_WITH_CHECKPOINT.forEvents(k.part().events());
        return new Joined(Pipelined.of(c.runId(), sql, both, true), creation, checkpoint);
    }
}
