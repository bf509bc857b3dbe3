package dev.tern.engine.internal.store;

import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * A step's {@code step_started} event folded into the row of its {@code step_completed} when both are written together
 * (a step that finished before its start was written, nearly every step): one history row instead of two. The row is
 * the completed event's, with the started event's time in {@code started_at}; the started event is the one before it in
 * the run's numbering, with the same attempt and step, and the completed event's data without its {@code durationMs}. A
 * pair is folded only if that gives back exactly the started event written, so reading the row as two events
 * ({@link #startedData}) returns what a row each would have. A three-step workflow's history shrinks from nine rows to
 * six, and SQLite's single writer, whose time goes mostly to rows and the log pages they dirty, runs some 4-7% more
 * workflows a second (design notes, "A step's start rides in its completion's row").
 */
final class StepStartFold {
    private StepStartFold() {}

    /** A history row's values: its columns in {@link HistoryRows#INSERT_INTO}'s order. */
    static final int COLUMNS = 8;

    private static final int SEQ = 1;
    private static final int TYPE = 2;
    private static final int AT = 3;
    private static final int ATTEMPT = 4;
    private static final int STEP = 5;
    private static final int DATA = 6;
    private static final int STARTED_AT = 7;

    private static final String STARTED = HistoryEventType.STEP_STARTED.wireName();
    private static final String COMPLETED = HistoryEventType.STEP_COMPLETED.wireName();
    private static final String DURATION = ",\"durationMs\":";

    /**
     * Folds, among the first {@code count} rows of {@code rows} ({@link #COLUMNS} values each, in sequence order), each
     * {@code step_started} row followed by its own {@code step_completed} into the latter, moving later rows up;
     * returns how many rows are left.
     */
    static int fold(Object[] rows, int count) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int at = i * COLUMNS;
            if (i + 1 < count && folds(rows, at, at + COLUMNS)) {
                rows[at + COLUMNS + STARTED_AT] = rows[at + AT];
                continue; // the started row is dropped; its completed row is kept next
            }
            if (kept != i) System.arraycopy(rows, at, rows, kept * COLUMNS, COLUMNS);
            kept++;
        }
        java.util.Arrays.fill(rows, kept * COLUMNS, count * COLUMNS, null);
        return kept;
    }

    /** Whether the row at {@code s} is a step's start and the one at {@code c} its completion that can stand for it. */
    private static boolean folds(Object[] rows, int s, int c) {
        if (!STARTED.equals(rows[s + TYPE]) || !COMPLETED.equals(rows[c + TYPE])) return false;
        if (rows[s + STEP] == null || !rows[s + STEP].equals(rows[c + STEP])) return false;
        if (!Objects.equals(rows[s + ATTEMPT], rows[c + ATTEMPT]) || rows[s + AT] == null) return false;
        if (((Number) rows[c + SEQ]).longValue() != ((Number) rows[s + SEQ]).longValue() + 1) return false;
        if (!(rows[c + DATA] instanceof String completed)) return false;
        String started = startedDataOr(completed);
        return started != completed && started.equals(rows[s + DATA]);
    }

    /** The events a history row holds: its own, after the step's start folded into it if it has one. */
    static List<HistoryEvent> events(ResultSet rs) throws SQLException {
        String runId = rs.getString("run_id");
        long seq = rs.getLong("event_seq");
        Integer attempt = Sql.integer(rs, "attempt");
        Integer step = Sql.integer(rs, "step_seq");
        String data = rs.getString("data");
        var own = new HistoryEvent(
                runId,
                seq,
                HistoryEventType.fromWire(rs.getString("type")),
                Sql.instant(rs, "at"),
                attempt,
                step,
                Json.parse(data));
        java.time.Instant startedAt = Sql.instant(rs, "started_at");
        if (startedAt == null) return List.of(own);
        var started = new HistoryEvent(
                runId, seq - 1, HistoryEventType.STEP_STARTED, startedAt, attempt, step, Json.parse(startedData(data)));
        return List.of(started, own);
    }

    /**
     * The data of the {@code step_started} event a folded row stands for: its completed event's data (JSON text)
     * without the {@code durationMs} that ends it.
     */
    static String startedData(String completedData) {
        String started = startedDataOr(completedData);
        if (started == completedData) throw new IllegalStateException("a folded step row lacks its durationMs");
        return started;
    }

    /** {@link #startedData}, or {@code completed} itself when it does not end with a {@code durationMs}. */
    private static String startedDataOr(String completed) {
        int cut = completed.lastIndexOf(DURATION);
        int last = completed.length() - 1;
        if (cut < 0 || cut + DURATION.length() >= last || completed.charAt(last) != '}') return completed;
        for (int i = cut + DURATION.length(); i < last; i++) {
            if (!Character.isDigit(completed.charAt(i))) return completed;
        }
        return completed.substring(0, cut) + "}";
    }
}
