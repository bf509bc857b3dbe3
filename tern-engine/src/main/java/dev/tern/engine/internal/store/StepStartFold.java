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
 * ({@link #startedData}) returns what a row each would have. Rows laid out for an insert fold with {@link #fold}; the
 * PostgreSQL statements that bind their events as parameters take the form {@link #foldedIn} picks. A step whose start
 * was written with the previous step's checkpoint keeps its own start row, so in a three-step workflow the first step
 * folds: eight history rows instead of nine, and SQLite's single writer, whose time goes mostly to rows and the log
 * pages they dirty, runs some 4-7% more workflows a second (design notes, "A step's start rides in its completion's
 * row").
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
        if (((Number) rows[c + SEQ]).longValue() != ((Number) rows[s + SEQ]).longValue() + 1) return false;
        return pair(
                rows[s + TYPE],
                rows[s + AT],
                rows[s + ATTEMPT],
                rows[s + STEP],
                rows[s + DATA],
                rows[c + TYPE],
                rows[c + ATTEMPT],
                rows[c + STEP],
                rows[c + DATA]);
    }

    /** {@code count} must stay under it: a statement's fold is cached by {@code count * MOST_EVENTS + folded}. */
    static final int MOST_EVENTS = 1 << 16;

    /**
     * Which of {@code count} events bound in {@code p} by {@link HistoryRows#bindEvent} (numbered from 1) is a step's
     * start that folds into the next, its completion; 0 if none does. A statement folds one pair at most: a step's
     * checkpoint, or a run's end, holds one step's events.
     */
    static int foldedIn(NamedSql.Params p, int count) {
        if (count >= MOST_EVENTS) return 0;
        for (int i = 1; i < count; i++) {
            String[] s = HistoryRows.eventParams(i);
            if (!STARTED.equals(p.value(s[0]))) continue;
            String[] c = HistoryRows.eventParams(i + 1);
            if (pair(
                    p.value(s[0]),
                    p.value(s[1]),
                    p.value(s[2]),
                    p.value(s[3]),
                    p.value(s[4]),
                    p.value(c[0]),
                    p.value(c[2]),
                    p.value(c[3]),
                    p.value(c[4]))) return i;
        }
        return 0;
    }

    /**
     * Whether a start (its type, time, attempt, step and data) and the event after it in the run's numbering (its type,
     * attempt, step and data) are a step's start and completion that one row can hold.
     */
    private static boolean pair(
            Object type,
            Object at,
            Object attempt,
            Object step,
            Object data,
            Object nextType,
            Object nextAttempt,
            Object nextStep,
            Object nextData) {
        if (!STARTED.equals(type) || !COMPLETED.equals(nextType) || at == null) return false;
        if (step == null || !step.equals(nextStep) || !Objects.equals(attempt, nextAttempt)) return false;
        if (!(nextData instanceof String completed)) return false;
        String started = startedDataOr(completed);
        return started != completed && started.equals(data);
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
