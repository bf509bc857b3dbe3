package dev.tern.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of workload 7 (scale curve), printed after the main table: per store and call, the p50 (and p99) in µs at
 * each size of the store, and the growth from the smallest size to the largest (target: at most 2x), then the store's
 * bytes on disk per finished run and per step.
 */
final class ScaleTable {
    /** The target: from the smallest store to the largest, a call's p50 grows at most this much. */
    static final double TARGET_GROWTH = 2.0;

    /** One call on one store: µs at p50 and p99 per size. */
    record OpRow(String op, double[] p50, double[] p99) {
        double growth() {
            return p50[p50.length - 1] / p50[0];
        }
    }

    /** One store's rows, its size on disk, and how its reads' warmup went (null if it had none). */
    record StoreResult(
            String store, List<OpRow> rows, double bytesPerRun, double bytesPerStep, JitWarmup.Done readsWarmup) {}

    private ScaleTable() {}

    static void print(int[] sizes, List<StoreResult> stores, PrintStream out) {
        out.println(Workload.SCALE.label() + ": µs at p50 (p99) by finished runs in the store; growth = p50 at "
                + count(sizes[sizes.length - 1]) + " / p50 at " + count(sizes[0]) + " (target at most "
                + ResultTable.num(TARGET_GROWTH) + "x)");
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[sizes.length + 3];
        header[0] = "system";
        header[1] = "call";
        for (int i = 0; i < sizes.length; i++) header[2 + i] = count(sizes[i]) + " runs";
        header[header.length - 1] = "growth";
        cells.add(header);
        List<String> misses = new ArrayList<>();
        for (StoreResult s : stores) {
            for (OpRow r : s.rows()) {
                String[] line = new String[header.length];
                line[0] = s.store();
                line[1] = r.op();
                for (int i = 0; i < sizes.length; i++)
                    line[2 + i] = ResultTable.num(r.p50()[i]) + " (" + ResultTable.num(r.p99()[i]) + ")";
                line[line.length - 1] = String.format(Locale.ROOT, "%.2fx", r.growth());
                cells.add(line);
                if (r.growth() > TARGET_GROWTH) misses.add(s.store() + ", " + r.op());
            }
        }
        ResultTable.printCells(cells, 2, out);
        for (StoreResult s : stores) {
            out.println(s.store() + ": " + ResultTable.num(s.bytesPerRun()) + " bytes on disk per finished run of "
                    + ThroughputWorkload.STEPS + " steps, " + ResultTable.num(s.bytesPerStep())
                    + " per step (a run of " + count(ScaleWorkload.LONG_RUN_STEPS) + " steps)");
        }
        for (StoreResult s : stores) {
            JitWarmup.Done warm = s.readsWarmup();
            if (warm == null) continue;
            out.println(String.format(
                    Locale.ROOT,
                    "note: %s: the reads warmed up at the first size in %,d passes over %.0f s %s",
                    s.store(),
                    warm.workflows(),
                    warm.seconds(),
                    warm.settled()
                            ? "until the JIT compiled for under " + JitWarmup.LATENCY_PERCENT + "% of "
                                    + JitWarmup.WINDOW_SECONDS + " s"
                            : "without the JIT settling"));
        }
        out.println("target (growth at most " + ResultTable.num(TARGET_GROWTH) + "x): "
                + (misses.isEmpty() ? "met by every call" : "NOT met by " + String.join("; ", misses)));
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
