package dev.tern.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text result table: one row per workload, system and metric; columns aligned; "-" where a value does not
 * apply. The observed/plain column is there only when an observed variant ran.
 */
final class ResultTable {
    private static final String[] HEADERS = {
        "workload", "system", "metric", "median", "min..max", "Tern/peer", "Tern/limit"
    };
    private static final String OBSERVED_HEADER = "observed/plain";

    private ResultTable() {}

    static void print(List<Result> results, PrintStream out) {
        boolean observed = results.stream().anyMatch(r -> r.observedOverPlain() != null);
        int columns = HEADERS.length + (observed ? 1 : 0);
        List<String[]> cells = new ArrayList<>();
        String[] headers = Arrays.copyOf(HEADERS, columns);
        if (observed) headers[columns - 1] = OBSERVED_HEADER;
        cells.add(headers);
        String lastWorkload = null;
        for (Result r : results) {
            boolean first = !r.workload().equals(lastWorkload);
            lastWorkload = r.workload();
            Spread v = r.value();
            String spread = v.repetitions() > 1 ? num(v.min()) + ".." + num(v.max()) : "(1 run)";
            String[] line = Arrays.copyOf(
                    new String[] {
                        first ? r.workload() : "",
                        r.system(),
                        r.metric().label(),
                        num(v.median()),
                        spread,
                        ratio(r.ternOverPeer()),
                        ratio(r.ternOverLimit())
                    },
                    columns);
            if (observed) line[columns - 1] = ratio(r.observedOverPlain());
            cells.add(line);
        }
        printCells(cells, 3, out);
    }

    /**
     * Prints rows of cells as a table, the first row as its header: the first {@code textColumns} columns left-aligned,
     * the rest (numbers) right-aligned.
     */
    static void printCells(List<String[]> cells, int textColumns, PrintStream out) {
        int[] width = new int[cells.getFirst().length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) width[i] = Math.max(width[i], line[i].length());
        }
        for (int n = 0; n < cells.size(); n++) {
            out.println(line(cells.get(n), width, textColumns));
            if (n == 0) out.println(rule(width));
        }
    }

    /** Three significant figures at most, thousands separated. */
    static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return "-";
        double a = Math.abs(value);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String ratio(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2fx", value);
    }

    private static String line(String[] cells, int[] width, int textColumns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) b.append(" | ");
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(i < textColumns ? cells[i] + pad : pad + cells[i]);
        }
        return b.toString().stripTrailing();
    }

    private static String rule(int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            if (i > 0) b.append("-+-");
            b.append("-".repeat(width[i]));
        }
        return b.toString();
    }
}
