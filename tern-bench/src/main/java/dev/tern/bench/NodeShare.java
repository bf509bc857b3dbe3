package dev.tern.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which node executed the runs of one measured phase: the attempts each node id started during
 * it, read from the store before and after. More attempts than runs means runs were re-executed
 * (a lease taken over, or a retry).
 */
record NodeShare(String store, String workload, int runs, Map<String, Long> attempts) {

  /** The difference of two readings of {@code StoreSetup.attemptsPerNode()}; null if the store gave none. */
  static NodeShare between(String store, String workload, int runs, Map<String, Long> before, Map<String, Long> after) {
    if (after.isEmpty()) return null;
    Map<String, Long> during = new LinkedHashMap<>();
    for (String node : new TreeSet<>(after.keySet())) {
      long n = after.get(node) - before.getOrDefault(node, 0L);
      if (n != 0) during.put(node, n);
    }
    return new NodeShare(store, workload, runs, during);
  }

  long total() {
    return attempts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** E.g. "pg 2 nodes, throughput: 2,000 runs, 2,000 attempts: bench-a 1,000 (50.0%), bench-b 1,000 (50.0%)". */
  String describe() {
    long total = total();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s, %s: %,d runs, %,d attempts", store, workload, runs, total));
    String separator = ": ";
    for (Map.Entry<String, Long> e : attempts.entrySet()) {
      b.append(separator).append(String.format(Locale.ROOT, "%s %,d (%.1f%%)", e.getKey(), e.getValue(), 100.0 * e.getValue() / total));
      separator = ", ";
    }
    if (total > runs) b.append(String.format(Locale.ROOT, " -- %,d re-executed", total - runs));
    return b.toString();
  }
}
