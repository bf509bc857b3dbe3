package dev.tern.engine.internal.store;

import dev.tern.engine.ErrorInfo;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A run's end whose run, as it ended, the store makes from the copy its attempt started with ({@link RunEnd#startedAs})
 * instead of reading it back: every column of {@code runs} is fixed at the run's creation, set by the end itself, or
 * one of {@link #CHANGING}, which others change while the run executes and the end's own statement returns. Reading the
 * forty columns back, their names and the run's JSON parsed again, was a third of an end's time on SQLite's writer. On
 * PostgreSQL what it spares is a batch's read of its ended runs: ends answering only {@link #CHANGING}, values of fixed
 * size, are sent and answered together ({@link PostgresEndSql#END_ALONE_KNOWN}).
 *
 * @param copy the run as the end's attempt started it
 * @param end the end
 * @param errorJson the end's error as written (a read gives it back parsed from this text)
 */
record EndedCopy(StoredRun copy, RunEnd end, String errorJson) {

    /**
     * The columns a run's end returns to be made from its copy, in this order: others change them while it runs (an
     * event, a cancel, a claim of a later attempt) and the end does not set them. Every {@code UPDATE runs} of the
     * store writes only these, the end's own columns, the scheduler's, which the end sets too, and the attempt: a copy
     * serves only the attempt it was made in ({@link #of}), which the end's statement requires of the row.
     */
    static final String CHANGING = "last_event_seq, started_at, cancel_requested, version";

    /** The copy for {@code end}, or null: it has none, or one of another attempt. */
    static EndedCopy of(RunEnd end) {
        StoredRun copy = end.startedAs();
        if (copy == null || copy.attempt() != end.attempt()) return null;
        return new EndedCopy(copy, end, Json.writeNullable(end.error()));
    }

    /** The values of {@link #CHANGING} as the end's statement found them; {@code startedAt} in epoch milliseconds. */
    record Changing(long lastEventSeq, Long startedAt, boolean cancelRequested, long version) {

        /** From a row whose columns from {@code first} on are {@link #CHANGING}. */
        static Changing read(ResultSet rs, int first) throws SQLException {
            long seq = rs.getLong(first);
            long started = rs.getLong(first + 1);
            Long startedAt = rs.wasNull() ? null : started;
            return new Changing(seq, startedAt, rs.getLong(first + 2) != 0, rs.getLong(first + 3));
        }
    }

    /** The run as the end left it: values as a read of its row gives them (times to the millisecond). */
    StoredRun ended(Changing changing) {
        return copy.ended(
                end.status(),
                Json.parse(end.outputJson()),
                Json.read(errorJson, ErrorInfo.class),
                Instant.ofEpochMilli(end.now().toEpochMilli()),
                changing.startedAt() == null ? null : Instant.ofEpochMilli(changing.startedAt()),
                changing.cancelRequested(),
                changing.lastEventSeq(),
                changing.version());
    }
}
