package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds the ratios printed next to the absolutes, all from medians of this run: Tern/peer on a peer's rows (against the
 * Tern system it is compared with), Tern/limit on Tern's throughput steps/s (against the batched raw-JDBC limit of its
 * store), µs/step and latency percentiles (against the one-row limit's), and observed/plain on an observed variant's
 * rows (against the same Tern without metrics and traces, every metric).
 */
final class Ratios {
    private Ratios() {}

    static List<Result> apply(List<Result> results) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            SystemKind kind = byLabel(r.system());
            Result withRatio = r;
            if (kind != null && !kind.tern()) {
                Optional<Result> tern =
                        find(results, r.workload(), kind.comparedWith().label(), r.metric());
                if (tern.isPresent())
                    withRatio = r.withTernOverPeer(
                            tern.get().value().median() / r.value().median(),
                            kind.comparedWith().label());
            } else if (kind != null && kind.store() != SystemKind.Store.NONE) {
                String limit = switch (r.metric()) {
                    case STEPS_PER_SECOND -> Limits.label(kind.store(), Limits.ROWS_PER_BATCH);
                    case MICROS_PER_STEP, P50_MS, P90_MS, P99_MS -> Limits.label(kind.store(), 1);
                    default -> null;
                };
                Optional<Result> l = limit == null ? Optional.empty() : find(results, r.workload(), limit, r.metric());
                if (l.isPresent())
                    withRatio = r.withTernOverLimit(
                            r.value().median() / l.get().value().median(), limit);
                if (kind.plain() != null) {
                    Optional<Result> plain =
                            find(results, r.workload(), kind.plain().label(), r.metric());
                    if (plain.isPresent())
                        withRatio = withRatio.withObservedOverPlain(
                                r.value().median() / plain.get().value().median());
                }
            }
            out.add(withRatio);
        }
        return out;
    }

    private static SystemKind byLabel(String label) {
        for (SystemKind k : SystemKind.values()) {
            if (k.label().equals(label)) return k;
        }
        return null;
    }

    private static Optional<Result> find(List<Result> results, String workload, String system, Metric metric) {
        return results.stream()
                .filter(x -> x.workload().equals(workload) && x.system().equals(system) && x.metric() == metric)
                .findFirst();
    }
}
