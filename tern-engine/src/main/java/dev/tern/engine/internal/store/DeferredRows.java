package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * History and step rows a SQLite batch inserts at its end, every write's together, instead of each write's in its own
 * statements: on SQLite's single writer a statement costs about 3 µs before its first row and half a microsecond a row
 * after it, and a batch of a dozen workflows' checkpoints and ends inserted some forty statements of one to five rows.
 * The rows go in as they came, so a step's row upserted twice in one batch ends as the second upsert left it; anything
 * the transaction runs that reads or writes either table first inserts what waits ({@link #touches}), so no statement
 * finds the tables otherwise than one by one would have left them.
 */
final class DeferredRows {
    /** A table the rows wait for, and the statement that inserts them, {@code rows} at a time. */
    enum Table {
        HISTORY(HistoryRows.INSERT_INTO, StepStartFold.COLUMNS, ""),
        STEPS(StepRows.INSERT_INTO, StepRows.VALUES, StepRows.ON_CONFLICT);

        private final String head;
        private final int values;
        private final String tail;
        private final ConcurrentHashMap<Integer, String> statements = new ConcurrentHashMap<>();

        Table(String head, int values, String tail) {
            this.head = head;
            this.values = values;
            this.tail = tail;
        }

        /** The statement inserting {@code rows} rows, made once per count. */
        String insert(int rows) {
            return statements.computeIfAbsent(rows, n -> {
                String row = "(" + String.join(", ", java.util.Collections.nCopies(values, "?")) + ")";
                return head + String.join(", ", java.util.Collections.nCopies(n, row)) + tail;
            });
        }
    }

    /**
     * The most rows one statement inserts: a batch's rows go in statements of powers of two up to it, so each table has
     * at most seven statements to prepare and any count of rows takes few.
     */
    static final int MOST_ROWS = 64;

    private final Object[][] values = new Object[Table.values().length][];
    private final int[] counts = new int[Table.values().length];
    private int waiting;

    /** Whether rows wait to be inserted. */
    boolean any() {
        return waiting > 0;
    }

    /**
     * Queues {@code rows} rows of {@code table}: their values, in its columns' order, from {@code from} in {@code row}.
     */
    void add(Table table, Object[] row, int from, int rows) {
        int t = table.ordinal();
        int length = rows * table.values;
        int at = counts[t] * table.values;
        Object[] held = values[t];
        if (held == null) held = values[t] = new Object[Math.max(length, 16 * table.values)];
        else if (held.length < at + length)
            held = values[t] = Arrays.copyOf(held, Math.max(at + length, held.length * 2));
        System.arraycopy(row, from, held, at, length);
        counts[t] += rows;
        waiting += rows;
    }

    /** Inserts every waiting row through {@code tx}, then holds none. */
    void insert(Tx tx) throws SQLException {
        if (waiting == 0) return;
        waiting = 0;
        for (Table table : Table.values()) {
            int t = table.ordinal();
            int rows = counts[t];
            counts[t] = 0;
            int done = 0;
            while (done < rows) {
                int n = Integer.highestOneBit(Math.min(rows - done, MOST_ROWS));
                Object[] args = Arrays.copyOfRange(values[t], done * table.values, (done + n) * table.values);
                tx.updateNow(table.insert(n), args);
                done += n;
            }
            if (values[t] != null) Arrays.fill(values[t], 0, rows * table.values, null);
        }
    }

    /** Forgets the waiting rows (their transaction rolled back). */
    void drop() {
        for (int t = 0; t < counts.length; t++) {
            if (values[t] != null) Arrays.fill(values[t], 0, counts[t] * Table.values()[t].values, null);
            counts[t] = 0;
        }
        waiting = 0;
    }

    /**
     * Whether {@code sql} names a table whose rows may wait here, so that waiting rows go in before it runs (a
     * statement that names neither can neither see nor change them).
     */
    static boolean touches(String sql) {
        return sql.contains("history") || sql.contains("steps");
    }
}
