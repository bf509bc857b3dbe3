package dev.tern.bench;

/**
 * One measured number: a metric of a workload on a system, as the median and spread of its repetitions, plus the ratios
 * printed next to it (null where they do not apply).
 *
 * @param ternOverPeer for a peer's row: the comparable Tern row's median / this median
 * @param ternOverLimit for a Tern row: this median / the raw JDBC limit's on the same store
 * @param observedOverPlain for an observed variant's row: this median / the same Tern's without metrics and traces
 */
record Result(
        String workload,
        String system,
        Metric metric,
        Spread value,
        Double ternOverPeer,
        Double ternOverLimit,
        String comparedWith,
        Double observedOverPlain) {
    Result(String workload, String system, Metric metric, Spread value) {
        this(workload, system, metric, value, null, null, null, null);
    }

    Result withTernOverPeer(double ratio, String ternSystem) {
        return new Result(workload, system, metric, value, ratio, ternOverLimit, ternSystem, observedOverPlain);
    }

    Result withTernOverLimit(double ratio, String limitSystem) {
        return new Result(workload, system, metric, value, ternOverPeer, ratio, limitSystem, observedOverPlain);
    }

    Result withObservedOverPlain(double ratio) {
        return new Result(workload, system, metric, value, ternOverPeer, ternOverLimit, comparedWith, ratio);
    }
}
