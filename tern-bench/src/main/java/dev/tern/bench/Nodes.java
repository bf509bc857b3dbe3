package dev.tern.bench;

import dev.tern.engine.TernEngine;
import java.util.List;

/** The engines of one store setup (one, or several sharing the store); the workloads schedule runs on them in turn. */
final class Nodes {
    private final List<TernEngine> engines;

    Nodes(List<TernEngine> engines) {
        if (engines.isEmpty()) throw new IllegalArgumentException("no engines");
        this.engines = List.copyOf(engines);
    }

    /** The engine that schedules (and awaits) run number {@code index}: round-robin. */
    TernEngine forRun(int index) {
        return engines.get(Math.floorMod(index, engines.size()));
    }

    /** Store writes committed and transactions used so far, summed over the engines. */
    long[] writeCounters() {
        long[] sum = new long[2];
        for (TernEngine e : engines) {
            long[] c = e.storeWriteCounters();
            sum[0] += c[0];
            sum[1] += c[1];
        }
        return sum;
    }
}
