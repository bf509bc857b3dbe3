package dev.tern.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The plain-text result table: one row per store and workload, columns aligned, "-" where a value does not apply. */
final class ResultTable {
  private static final String[] HEADERS =
      {"store", "workload", "workflows/s", "steps/s", "p50 ms", "p90 ms", "p99 ms", "batch size", "Tern/limit"};
  private static final boolean[] LEFT = {true, true, false, false, false, false, false, false, false};

  /** One line of the table; null numbers print as "-". For raw-JDBC rows, steps/s holds rows/s. */
  record Row(String store, String workload, Double workflowsPerSecond, Double stepsPerSecond,
      Double p50, Double p90, Double p99, Double batchSize, Double ternOverLimit) {}

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADERS);
    for (Row r : rows) {
      cells.add(new String[] {r.store(), r.workload(), num(r.workflowsPerSecond(), 0), num(r.stepsPerSecond(), 0),
          num(r.p50(), 2), num(r.p90(), 2), num(r.p99(), 2), num(r.batchSize(), 1), num(r.ternOverLimit(), 2)});
    }
    int[] width = new int[HEADERS.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) width[i] = Math.max(width[i], line[i].length());
    }
    for (int n = 0; n < cells.size(); n++) {
      out.println(line(cells.get(n), width));
      if (n == 0) out.println(rule(width));
    }
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) b.append(" | ");
      String pad = " ".repeat(width[i] - cells[i].length());
      b.append(LEFT[i] ? cells[i] + pad : pad + cells[i]);
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

  private static String num(Double value, int decimals) {
    if (value == null || value.isNaN() || value.isInfinite()) return "-";
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }
}
