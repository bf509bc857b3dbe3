package dev.tern.bench;

import java.util.List;

/** The median of the repetitions of one measurement, with their minimum and maximum (the spread). */
record Spread(double median, double min, double max, int repetitions) {
    static Spread of(List<Double> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(median, s[0], s[n - 1], n);
    }

    static Spread single(double value) {
        return of(List.of(value));
    }

    /** Half the range as a percentage of the median: "±x%". */
    double plusMinusPercent() {
        return median == 0 ? 0 : (max - min) / 2 / Math.abs(median) * 100;
    }
}
