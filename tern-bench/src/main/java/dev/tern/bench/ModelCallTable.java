package dev.tern.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of workload 6 (model-call overhead), printed after the main table: µs per call at p50 and p99 for each way
 * of calling, what Tern adds to the direct baseline (the first row), the ratio Tern/direct, and whether the target is
 * met.
 */
final class ModelCallTable {
    /** The target: Tern adds under this at p50 on SQLite (fsync on). */
    static final double TARGET_ADDED_P50_MICROS = 1_000;

    private static final String[] HEADERS = {
        "system", "p50 µs", "p50 min..max", "p99 µs", "added p50 µs", "Tern/direct p50", "Tern/direct p99"
    };

    /**
     * One way of calling: µs per call at p50 and p99, median and spread over the repetitions. {@code averaged}: each
     * sample was a run's time divided by its calls, so its p99 is no per-call tail and is not compared.
     */
    record Row(String system, Spread p50, Spread p99, boolean averaged) {}

    private ModelCallTable() {}

    static void print(List<Row> rows, PrintStream out) {
        Row direct = rows.getFirst();
        out.println(
                Workload.MODEL_CALL.label() + ": µs per streamed call to a local zero-latency fake model, median over "
                        + direct.p50().repetitions() + " repetitions; added = Tern - direct");
        out.println("(" + ModelCallOverhead.CALLS_PER_RUN + " calls/run: each sample is a run's time / "
                + ModelCallOverhead.CALLS_PER_RUN + ", an average, so its p99 is not compared)");
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (Row r : rows) {
            boolean base = r == direct;
            cells.add(new String[] {
                r.system(),
                ResultTable.num(r.p50().median()),
                spread(r.p50()),
                ResultTable.num(r.p99().median()),
                base ? "-" : ResultTable.num(r.p50().median() - direct.p50().median()),
                base ? "-" : ratio(r.p50().median() / direct.p50().median()),
                base || r.averaged()
                        ? "-"
                        : ratio(r.p99().median() / direct.p99().median())
            });
        }
        int[] width = new int[HEADERS.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) width[i] = Math.max(width[i], line[i].length());
        }
        for (int n = 0; n < cells.size(); n++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < HEADERS.length; i++) {
                if (i > 0) b.append(" | ");
                String pad = " ".repeat(width[i] - cells.get(n)[i].length());
                b.append(i == 0 ? cells.get(n)[i] + pad : pad + cells.get(n)[i]);
            }
            out.println(b.toString().stripTrailing());
            if (n == 0)
                out.println(
                        b.toString().replaceAll("[^|]", "-").replace('|', '+').stripTrailing());
        }
        for (Row r : rows) {
            if (r == direct || !r.system().startsWith("Tern, SQLite,")) continue;
            double added = r.p50().median() - direct.p50().median();
            out.printf(
                    Locale.ROOT,
                    "target (under %s µs added at p50 on SQLite), %s: %s (%s µs added)%n",
                    ResultTable.num(TARGET_ADDED_P50_MICROS),
                    r.system(),
                    added < TARGET_ADDED_P50_MICROS ? "met" : "NOT met",
                    ResultTable.num(added));
        }
    }

    private static String spread(Spread s) {
        return s.repetitions() > 1 ? ResultTable.num(s.min()) + ".." + ResultTable.num(s.max()) : "(1 run)";
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }
}
